using System.Text;
using System.Text.Json;
using HwSim.Numerics.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Workloads.Formats;

/// <summary>
/// Trace files in JSON Lines. Line 1 is the header
/// <c>{"format":"hwsim-trace","version":1,"name":…,"batch":…,"prompt":…,"generate":…,"precision":{…},"model":{…}|null}</c>;
/// every further line is one op: <c>{"id","name","kind","layer","phase","gemm"?,"elements"?,"operands","deps"}</c>.
/// A count is a number, or <c>[constant, per_kv]</c> when it depends on the decode step's KV length. Decode ops
/// appear once, as templates for every step.
/// </summary>
public static class TraceJsonl
{
    public const string FormatName = "hwsim-trace";
    public const int Version = 1;

    public static void Write(Workload workload, Stream stream)
    {
        using var text = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        text.WriteLine(Line(json => WriteHeader(json, workload)));
        foreach (var op in workload.AllOps) text.WriteLine(Line(json => WriteOp(json, op)));
    }

    public static string WriteToString(Workload workload)
    {
        using var stream = new MemoryStream();
        Write(workload, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteHeader(Utf8JsonWriter json, Workload workload)
    {
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", Version);
        json.WriteString("name", workload.Name);
        json.WriteNumber("batch", workload.Batch);
        json.WriteNumber("prompt", workload.Prompt);
        json.WriteNumber("generate", workload.Generate);
        json.WriteStartObject("precision");
        json.WriteString("weights", workload.Precision.Weights.Name);
        json.WriteString("activations", workload.Precision.Activations.Name);
        json.WriteString("kv_cache", workload.Precision.KvCache.Name);
        json.WriteEndObject();
        if (workload.Model is { } m)
        {
            json.WriteStartObject("model");
            json.WriteString("name", m.Name);
            json.WriteString("family", m.Family.ToString());
            json.WriteNumber("hidden_size", m.HiddenSize);
            json.WriteNumber("num_hidden_layers", m.Layers);
            json.WriteNumber("num_attention_heads", m.Heads);
            json.WriteNumber("num_key_value_heads", m.KvHeads);
            json.WriteNumber("head_dim", m.HeadDim);
            json.WriteNumber("intermediate_size", m.IntermediateSize);
            json.WriteNumber("vocab_size", m.VocabSize);
            json.WriteBoolean("tie_word_embeddings", m.TieWordEmbeddings);
            json.WriteBoolean("qkv_bias", m.QkvBias);
            json.WriteNumber("rotary_fraction", m.RotaryFraction);
            json.WriteNumber("learned_positions", m.LearnedPositions);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("model");
        }
        json.WriteEndObject();
    }

    private static void WriteOp(Utf8JsonWriter json, TraceOp op)
    {
        json.WriteStartObject();
        json.WriteNumber("id", op.Id);
        json.WriteString("name", op.Name);
        json.WriteString("kind", op.Kind.ToString());
        json.WriteNumber("layer", op.Layer);
        json.WriteString("phase", op.Phase.ToString());
        if (op.Gemm is { } g)
        {
            json.WriteStartObject("gemm");
            WriteCount(json, "m", g.M);
            WriteCount(json, "n", g.N);
            WriteCount(json, "k", g.K);
            json.WriteNumber("batch", g.Batch);
            json.WriteEndObject();
        }
        else
        {
            WriteCount(json, "elements", op.Elements);
        }
        json.WriteStartArray("operands");
        foreach (var operand in op.Operands)
        {
            json.WriteStartObject();
            json.WriteString("tensor", operand.Tensor);
            json.WriteString("role", operand.Role.ToString());
            json.WriteBoolean("output", operand.IsOutput);
            WriteCount(json, "elements", operand.Elements);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("deps");
        foreach (int dependency in op.DependsOn) json.WriteNumberValue(dependency);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCount(Utf8JsonWriter json, string name, Affine count)
    {
        if (count.IsConstant)
        {
            json.WriteNumber(name, count.Constant);
            return;
        }
        json.WriteStartArray(name);
        json.WriteNumberValue(count.Constant);
        json.WriteNumberValue(count.PerKv);
        json.WriteEndArray();
    }

    public static Workload Read(TextReader reader, string source = "trace")
    {
        string? headerLine = reader.ReadLine() ?? throw new InvalidDataException($"{source}: empty file (no header line)");
        var header = new Reader(source, 1, headerLine);
        if (header.String("format") != FormatName) throw header.Error("format", $"must be '{FormatName}'");
        if (header.Long("version") != Version) throw header.Error("version", $"version {Version} is the only one supported");
        var precisionElement = header.Object("precision");
        var precision = new Precision(
            header.Format(precisionElement, "weights"), header.Format(precisionElement, "activations"), header.Format(precisionElement, "kv_cache"));
        var model = header.Root.TryGetProperty("model", out var modelElement) && modelElement.ValueKind == JsonValueKind.Object
            ? header.Model(modelElement) : null;
        var prefill = new List<TraceOp>();
        var decode = new List<TraceOp>();
        int lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var op = new Reader(source, lineNumber, line).Op();
            (op.Phase == Phase.Decode ? decode : prefill).Add(op);
        }
        var workload = new Workload(header.String("name"), model, (int)header.Long("batch"), (int)header.Long("prompt"),
            (int)header.Long("generate"), precision, prefill, decode);
        OpGraph.Schedule(prefill);
        OpGraph.Schedule(decode);
        return workload;
    }

    private sealed class Reader
    {
        private readonly string where;

        public Reader(string source, int line, string text)
        {
            where = $"{source} line {line}";
            try
            {
                Root = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false }).RootElement;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{where}: not valid JSON ({e.Message})");
            }
            if (Root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: expected a JSON object");
        }

        public JsonElement Root { get; }

        public InvalidDataException Error(string field, string problem) => new($"{where}: field '{field}': {problem}");

        private JsonElement Get(JsonElement parent, string field, JsonValueKind kind) =>
            parent.TryGetProperty(field, out var value) && value.ValueKind == kind ? value
            : throw Error(field, $"missing or not a {kind.ToString().ToLowerInvariant()}");

        public string String(string field) => Get(Root, field, JsonValueKind.String).GetString()!;

        public long Long(string field) => Long(Root, field);

        private long Long(JsonElement parent, string field) =>
            Get(parent, field, JsonValueKind.Number).TryGetInt64(out long value) ? value : throw Error(field, "not an integer");

        public JsonElement Object(string field) => Get(Root, field, JsonValueKind.Object);

        public StorageFormat Format(JsonElement parent, string field)
        {
            var name = Get(parent, field, JsonValueKind.String).GetString()!;
            try
            {
                return StorageFormat.Parse(name);
            }
            catch (FormatException e)
            {
                throw Error(field, e.Message);
            }
        }

        private TEnum Enum<TEnum>(JsonElement parent, string field) where TEnum : struct, Enum =>
            System.Enum.TryParse<TEnum>(Get(parent, field, JsonValueKind.String).GetString(), out var value) && System.Enum.IsDefined(value)
                ? value : throw Error(field, $"not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");

        private Affine Count(JsonElement parent, string field)
        {
            if (!parent.TryGetProperty(field, out var value)) throw Error(field, "missing");
            Affine count = value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt64(out long c) => new Affine(c),
                JsonValueKind.Array when value.GetArrayLength() == 2 && value[0].TryGetInt64(out long c) && value[1].TryGetInt64(out long p) => new Affine(c, p),
                _ => throw Error(field, "expected an integer or [constant, per_kv]"),
            };
            return count.Constant < 0 || count.PerKv < 0 ? throw Error(field, "counts must not be negative") : count;
        }

        public ModelConfig Model(JsonElement m)
        {
            int Int(string field) => checked((int)Long(m, field));
            var config = new ModelConfig
            {
                Name = Get(m, "name", JsonValueKind.String).GetString()!,
                Family = Enum<ModelFamily>(m, "family"),
                HiddenSize = Int("hidden_size"),
                Layers = Int("num_hidden_layers"),
                Heads = Int("num_attention_heads"),
                KvHeads = Int("num_key_value_heads"),
                HeadDim = Int("head_dim"),
                IntermediateSize = Int("intermediate_size"),
                VocabSize = Int("vocab_size"),
                TieWordEmbeddings = m.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True,
                QkvBias = m.TryGetProperty("qkv_bias", out var bias) && bias.ValueKind == JsonValueKind.True,
                RotaryFraction = Get(m, "rotary_fraction", JsonValueKind.Number).GetDouble(),
                LearnedPositions = Int("learned_positions"),
            };
            return config.Validate() is { } problem ? throw new InvalidDataException($"{where}: model: {problem}") : config;
        }

        public TraceOp Op()
        {
            GemmShape? gemm = null;
            if (Root.TryGetProperty("gemm", out var g))
            {
                gemm = new GemmShape(Count(g, "m"), Count(g, "n"), Count(g, "k"), Long(g, "batch"));
                if (gemm.Batch < 1) throw Error("batch", "must be at least 1");
            }
            var operands = Get(Root, "operands", JsonValueKind.Array).EnumerateArray().Select(o => new Operand(
                Get(o, "tensor", JsonValueKind.String).GetString()!,
                Enum<OperandRole>(o, "role"),
                o.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.True,
                Count(o, "elements"))).ToList();
            var deps = Get(Root, "deps", JsonValueKind.Array).EnumerateArray()
                .Select(d => d.TryGetInt32(out int id) ? id : throw Error("deps", "ids must be integers")).ToList();
            return new TraceOp(checked((int)Long("id")), String("name"), Enum<OpKind>(Root, "kind"), checked((int)Long("layer")),
                Enum<Phase>(Root, "phase"), gemm, gemm is null ? Count(Root, "elements") : default, operands, deps);
        }
    }
}
