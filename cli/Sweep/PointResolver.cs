using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.Cli.Results;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Sweep;

/// <summary>
/// Enumerates a study's points (designs slowest, then each dimension in file order, the last fastest) and resolves
/// each: design-field edits are applied to the base design's JSON and read back through the strict accelerator reader,
/// so a bad value is rejected with the point and the field named; the workload and weights are checked the same way.
/// </summary>
public sealed class PointResolver
{
    private readonly Study study;
    private readonly Dictionary<string, (AcceleratorSpec Spec, JsonObject Json)> designs = [];
    private readonly Dictionary<string, ModelConfig> models = [];
    private readonly JsonNode? costsInput;

    public PointResolver(Study study)
    {
        this.study = study;
        foreach (string name in study.Designs)
        {
            var spec = Presets.Find(name) ?? LoadFile(name);
            designs[name] = (spec, (JsonObject)JsonSerializer.SerializeToNode(spec, StrictJson.Options)!);
        }
        var costs = new JsonObject { ["nodeNm"] = study.Costs.NodeNm, ["vdd"] = study.Costs.Vdd };
        if (study.Costs.UserTablePath is { } table) costs["table"] = new ProvenanceInputs().AddFile("table", table).ToJson()["table"]!.DeepClone();
        costsInput = costs;
    }

    private AcceleratorSpec LoadFile(string name)
    {
        string path = Path.GetFullPath(name, study.Directory);
        if (!File.Exists(path))
            throw new InvalidDataException($"{study.Source}: designs: '{name}' is neither a preset ({string.Join(", ", Presets.Names)}) nor a file");
        return AcceleratorSpecJson.Load(path);
    }

    /// <summary>Every point of the study, in index order; two points with the same resolved inputs are an error.</summary>
    public IReadOnlyList<SweepPoint> All()
    {
        var points = new List<SweepPoint>((int)study.PointCount);
        var byHash = new Dictionary<string, SweepPoint>(StringComparer.Ordinal);
        for (long index = 0; index < study.PointCount; index++)
        {
            var point = Resolve(index);
            if (!byHash.TryAdd(point.Hash, point))
                throw new InvalidDataException($"{study.Source}: points {byHash[point.Hash].Index} ({byHash[point.Hash].Label}) and {index} ({point.Label}) resolve to the same inputs");
            points.Add(point);
        }
        return points;
    }

    /// <summary>The point at <paramref name="index"/> (mixed-radix digits, the last dimension fastest).</summary>
    public SweepPoint Resolve(long index)
    {
        var dims = study.Dimensions;
        var digits = new int[dims.Count];
        long rest = index;
        for (int d = dims.Count - 1; d >= 0; d--)
        {
            digits[d] = (int)(rest % dims[d].Count);
            rest /= dims[d].Count;
        }
        string design = study.Designs[(int)rest];
        var values = new List<(string, JsonNode?)>();
        for (int d = 0; d < dims.Count; d++)
            foreach (var axis in dims[d].Axes) values.Add((axis.Name, axis.Values[digits[d]]));
        string where = $"{study.Source}: point {index} ({string.Join(", ", values.Select(v => $"{v.Item1}={SweepPoint.ValueText(v.Item2)}").Prepend($"design={design}"))})";

        var (baseSpec, baseJson) = designs[design];
        var spec = baseSpec;
        var edits = values.Where(v => !StudyFile.WorkloadKeys.Contains(v.Item1)).ToList();
        if (edits.Count > 0)
        {
            var json = (JsonObject)baseJson.DeepClone();
            foreach (var (path, value) in edits) SpecPath.Set(json, path, value, where);
            spec = AcceleratorSpecJson.Read(json.ToJsonString(), where);
        }

        JsonNode? Setting(string key)
        {
            foreach (var (axis, value) in values)
                if (axis == key) return value;
            return study.Workload[key];
        }
        var model = Model(Setting("model"), where);
        var request = new TraceRequest(model, Int(Setting("batch"), 1, where, "batch"), Int(Setting("prompt"), 2048, where, "prompt"),
            Int(Setting("generate"), 128, where, "generate"));
        if (request.Validate() is { } problem) throw new InvalidDataException($"{where}: {problem}");

        string? weights = Setting("weights") is { } w ? StudyFile.Text(w, where, "weights") : null;
        RunFormats formats;
        try
        {
            var (prefill, decode) = DesignOptions.ParseWeights(weights, $"{where}: weights");
            formats = RunFormats.Default(spec, prefill, decode);
        }
        catch (Exception e) when (e is ArgumentException or UserInputException)
        {
            throw new InvalidDataException(e.Message.StartsWith(where, StringComparison.Ordinal) ? e.Message : $"{where}: weights: {e.Message}");
        }

        var inputs = new ProvenanceInputs()
            .Add("design", spec, StrictJson.Options)
            .Add("workload", new JsonObject
            {
                ["model"] = JsonSerializer.SerializeToNode(model),
                ["batch"] = request.Batch,
                ["prompt"] = request.Prompt,
                ["generate"] = request.Generate,
            })
            .Add("weights", weights is null ? null : JsonValue.Create(weights))
            .Add("costs", costsInput)
            .Add("constraints", new JsonArray([.. study.Constraints.Select(c => (JsonNode)JsonValue.Create(c.Text))]));
        return new SweepPoint(index, design, values, spec, request, formats, inputs.ToJson(), inputs.Sha256());
    }

    private ModelConfig Model(JsonNode? node, string where)
    {
        string name = node is null ? "llama-2-7b" : StudyFile.Text(node, where, "model");
        lock (models)
        {
            if (models.TryGetValue(name, out var known)) return known;
            ModelConfig model;
            if (ModelZoo.All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) is { } builtIn) model = builtIn;
            else if (File.Exists(Path.GetFullPath(name, study.Directory))) model = HuggingFaceConfigReader.ReadFile(Path.GetFullPath(name, study.Directory));
            else throw new InvalidDataException($"{where}: model: '{name}' is neither a built-in model ({string.Join(", ", ModelZoo.All.Select(m => m.Name))}) nor a config.json file");
            return models[name] = model;
        }
    }

    private static int Int(JsonNode? node, int fallback, string where, string key)
    {
        if (node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue(out long value) && value is >= int.MinValue and <= int.MaxValue) return (int)value;
        throw new InvalidDataException($"{where}: {key}: expected an integer, got {node.ToJsonString()}");
    }
}

/// <summary>Workload traces shared by the points that run the same model, batch, prompt and generate.</summary>
public sealed class WorkloadCache
{
    private readonly ConcurrentDictionary<TraceRequest, Lazy<Workload>> traces = new();

    public Workload Get(TraceRequest request) => traces.GetOrAdd(request, r => new Lazy<Workload>(() => LlmTracer.Trace(r))).Value;
}
