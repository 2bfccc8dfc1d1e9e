using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HwSim.Arch.Spec;
using HwSim.Tests.Numerics;

namespace HwSim.Tests.Cli;

/// <summary>
/// One malformed or extreme input: the files it writes into a fresh directory, the command line (with
/// <see cref="Dir"/> standing for that directory) and the exit code the error policy gives it.
/// </summary>
public sealed record BadInput(string Name, string[] Args, IReadOnlyDictionary<string, byte[]> Files, int ExitCode = 2)
{
    public const string Dir = "{dir}";
}

/// <summary>
/// The bad-input corpus: every input kind (accelerator JSON, plan JSON, SCALE-Sim cfg and topology, Hugging Face
/// config.json, safetensors, npy, cost CSV, importance CSV, option values), each case small enough to be rejected
/// before any long computation.
/// </summary>
public static class BadInputCorpus
{
    public static IReadOnlyList<BadInput> All { get; } = [.. Build()];

    public static BadInput Named(string name) => All.Single(c => c.Name == name);

    private static readonly byte[] Nothing = [];

    private static Dictionary<string, byte[]> File(string name, string text) => new() { [name] = Encoding.UTF8.GetBytes(text) };

    private static Dictionary<string, byte[]> File(string name, byte[] bytes) => new() { [name] = bytes };

    private static IEnumerable<BadInput> Build() =>
        AcceleratorJson().Concat(PlanJson()).Concat(ScaleSimCfg()).Concat(Topology()).Concat(HuggingFaceConfig())
            .Concat(Safetensors()).Concat(Npy()).Concat(CostCsv()).Concat(ImportanceCsv()).Concat(OptionValues());

    // ---- accelerator JSON (hwsim arch FILE loads and prints it) ----

    public static string ValidAccelerator => AcceleratorSpecJson.Write(Presets.Find("int8-systolic")!);

    private static string SetField(string json, string path, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!;
        var parts = path.Split('.');
        JsonNode node = root;
        foreach (string part in parts[..^1])
            node = part.EndsWith(']') ? node[part[..part.IndexOf('[')]]![int.Parse(part[(part.IndexOf('[') + 1)..^1], CultureInfo.InvariantCulture)]! : node[part]!;
        if (value is null && parts[^1].StartsWith('-')) node.AsObject().Remove(parts[^1][1..]);
        else node[parts[^1]] = value;
        return root.ToJsonString();
    }

    private static BadInput Arch(string name, string json) => new($"arch: {name}", ["arch", $"{BadInput.Dir}/a.json"], File("a.json", json));

    private static IEnumerable<BadInput> AcceleratorJson()
    {
        string valid = ValidAccelerator;
        string[] intFields = ["array.rows", "array.cols", "pe.dotProductWidth", "pe.accumulatorBits", "buffers[0].banks", "buffers[0].widthBits",
            "dma.engines", "vectorUnit.lanes"];
        string[] longFields = ["clockMhz", "buffers[0].capacityBytes", "dma.burstBytes", "dram.bytesPerCycle"];
        foreach (string field in intFields.Concat(longFields))
        {
            yield return Arch($"{field} = -1", SetField(valid, field, -1));
            yield return Arch($"{field} = 0", SetField(valid, field, 0));
            yield return Arch($"{field} = 2^63-1", SetField(valid, field, long.MaxValue));
            yield return Arch($"{field} = \"8\"", SetField(valid, field, "8"));
            yield return Arch($"{field} = 2.5", SetField(valid, field, 2.5));
            yield return Arch($"{field} = null", SetField(valid, field, JsonValue.Create((string?)null)));
        }
        yield return Arch("dram.latencyCycles = -1", SetField(valid, "dram.latencyCycles", -1));
        yield return Arch("array.dataflow = diagonal", SetField(valid, "array.dataflow", "diagonal"));
        yield return Arch("pe.kind = quantum", SetField(valid, "pe.kind", "quantum"));
        yield return Arch("dram.model = sram", SetField(valid, "dram.model", "sram"));
        yield return Arch("pe.weightTypes = [int99]", SetField(valid, "pe.weightTypes", new JsonArray("int99")));
        yield return Arch("defaultWeights not a PE type", SetField(valid, "defaultWeights", "bitmod3"));
        yield return Arch("kvCache unknown", SetField(valid, "kvCache", "fp99"));
        yield return Arch("decoders unknown kind", SetField(valid, "decoders", new JsonArray(new JsonObject { ["kind"] = "magic", ["count"] = 1 })));
        yield return Arch("clockHz disagrees", SetField(valid, "clockHz", 1));
        yield return Arch("clockHz a string", SetField(valid, "clockHz", "fast"));
        yield return Arch("unknown field", SetField(valid, "turbo", true));
        yield return Arch("field of another DRAM model", SetField(valid, "dram.banks", 8));
        yield return Arch("missing array", SetField(valid, "-array", null));
        yield return Arch("missing name", SetField(valid, "-name", null));
        yield return Arch("duplicate rows", valid.Replace("\"rows\": 256,", "\"rows\": 256, \"rows\": 32,"));
        yield return Arch("duplicate top-level name", valid.Replace("\"clockMhz\"", "\"name\": \"x\", \"clockMhz\""));
        yield return Arch("empty file", "");
        yield return Arch("JSON null", "null");
        yield return Arch("top-level array", "[]");
        yield return Arch("truncated", valid[..(valid.Length / 2)]);
        yield return Arch("not JSON", "rows = 32");
        yield return Arch("buffers empty", SetField(valid, "buffers", new JsonArray()));
        yield return Arch("buffer role unknown", SetField(valid, "buffers[0].role", "cache"));
        yield return new("arch: a directory", ["simulate", "--arch", BadInput.Dir], new Dictionary<string, byte[]>());
    }

    // ---- precision plans (checked against the workload before any simulation) ----

    private static BadInput Plan(string name, string json) =>
        new($"plan: {name}", ["simulate", "--arch", "int8-systolic", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--plan", $"{BadInput.Dir}/plan.json"],
            File("plan.json", json));

    private static string PlanText(string entries, string model = "opt-1.3b") =>
        $"{{\"model\": \"{model}\", \"arch\": \"int8-systolic\", \"entries\": [{entries}]}}";

    private static IEnumerable<BadInput> PlanJson()
    {
        yield return Plan("no entries", PlanText(""));
        yield return Plan("unknown datatype", PlanText("{\"layer\": 0, \"op\": \"q_proj\", \"weights\": \"int99\"}"));
        yield return Plan("layer -2", PlanText("{\"layer\": -2, \"op\": \"q_proj\", \"weights\": \"int8\"}"));
        yield return Plan("layer past the model", PlanText("{\"layer\": 999, \"op\": \"q_proj\", \"weights\": \"int8\"}"));
        yield return Plan("unknown op", PlanText("{\"layer\": 0, \"op\": \"gate_proj\", \"weights\": \"int8\"}"));
        yield return Plan("empty op", PlanText("{\"layer\": 0, \"op\": \"\", \"weights\": \"int8\"}"));
        yield return Plan("phase train", PlanText("{\"layer\": 0, \"op\": \"q_proj\", \"weights\": \"int8\", \"phase\": \"train\"}"));
        yield return Plan("planned twice", PlanText("{\"layer\": 0, \"op\": \"q_proj\", \"weights\": \"int8\"}, {\"layer\": 0, \"op\": \"q_proj\", \"weights\": \"int4\"}"));
        yield return Plan("weights null", PlanText("{\"layer\": 0, \"op\": \"q_proj\", \"weights\": null}"));
        yield return Plan("another model", PlanText("{\"layer\": 0, \"op\": \"q_proj\", \"weights\": \"int8\"}", "llama-2-7b"));
        yield return Plan("duplicate key", PlanText("{\"layer\": 0, \"layer\": 1, \"op\": \"q_proj\", \"weights\": \"int8\"}"));
        yield return Plan("unknown field", PlanText("{\"layer\": 0, \"op\": \"q_proj\", \"weights\": \"int8\", \"bits\": 8}"));
        yield return Plan("layer 2^31", PlanText("{\"layer\": 2147483648, \"op\": \"q_proj\", \"weights\": \"int8\"}"));
        yield return Plan("not JSON", "layer,op,weights");
        yield return Plan("top-level array", "[]");
        yield return Plan("datatype the PE cannot run", PlanText("{\"layer\": 0, \"op\": \"q_proj\", \"weights\": \"fp16\"}"));
        yield return new("plan: missing file", ["simulate", "--plan", $"{BadInput.Dir}/none.json"], new Dictionary<string, byte[]>());
    }

    // ---- SCALE-Sim configuration and topology ----

    private const string GoodTopology = "Layer,M,N,K,\ngemm1,64,64,64,\n";

    private static string Cfg(string height = "8", string width = "8", string ifmap = "64", string dataflow = "ws", string extra = "") =>
        $"[general]\nrun_name = test\n[architecture_presets]\nArrayHeight: {height}\nArrayWidth: {width}\nIfmapSramSzkB: {ifmap}\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\nDataflow: {dataflow}\n{extra}";

    private static BadInput ScaleSim(string name, string cfg, string topology) =>
        new($"scalesim: {name}", ["simulate", "--scalesim-config", $"{BadInput.Dir}/s.cfg", "--topology", $"{BadInput.Dir}/t.csv", "--out", $"{BadInput.Dir}/COMPUTE_REPORT.csv"],
            new Dictionary<string, byte[]> { ["s.cfg"] = Encoding.UTF8.GetBytes(cfg), ["t.csv"] = Encoding.UTF8.GetBytes(topology) });

    private static IEnumerable<BadInput> ScaleSimCfg()
    {
        yield return ScaleSim("cfg ArrayHeight 0", Cfg(height: "0"), GoodTopology);
        yield return ScaleSim("cfg ArrayHeight -5", Cfg(height: "-5"), GoodTopology);
        yield return ScaleSim("cfg ArrayHeight 5000", Cfg(height: "5000"), GoodTopology);
        yield return ScaleSim("cfg ArrayHeight 2^63-1", Cfg(height: "9223372036854775807"), GoodTopology);
        yield return ScaleSim("cfg ArrayWidth beyond long", Cfg(width: "99999999999999999999999"), GoodTopology);
        yield return ScaleSim("cfg ArrayWidth text", Cfg(width: "wide"), GoodTopology);
        yield return ScaleSim("cfg IfmapSramSzkB 2^63-1", Cfg(ifmap: "9223372036854775807"), GoodTopology);
        yield return ScaleSim("cfg IfmapSramSzkB -1", Cfg(ifmap: "-1"), GoodTopology);
        yield return ScaleSim("cfg IfmapSramSzkB 1.5", Cfg(ifmap: "1.5"), GoodTopology);
        yield return ScaleSim("cfg Dataflow xy", Cfg(dataflow: "xy"), GoodTopology);
        yield return ScaleSim("cfg Bandwidth 0", Cfg(extra: "Bandwidth: 0\n"), GoodTopology);
        yield return ScaleSim("cfg section unclosed", "[architecture_presets\nArrayHeight: 8\n", GoodTopology);
        yield return ScaleSim("cfg line without separator", Cfg(extra: "just words\n"), GoodTopology);
        yield return ScaleSim("cfg empty", "", GoodTopology);
        yield return ScaleSim("cfg missing Dataflow", Cfg().Replace("Dataflow: ws\n", ""), GoodTopology);
        yield return ScaleSim("cfg missing ArrayHeight", Cfg().Replace("ArrayHeight: 8\n", ""), GoodTopology);
    }

    private static IEnumerable<BadInput> Topology()
    {
        const string conv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
        var cases = new (string Name, string Text)[]
        {
            ("header only", "Layer,M,N,K,\n"),
            ("empty", ""),
            ("5 columns", "Layer,M,N,K,X,\ng,1,1,1,1,\n"),
            ("row missing a column", "Layer,M,N,K,\ng,1,1,\n"),
            ("M 0", "Layer,M,N,K,\ng,0,1,1,\n"),
            ("M -1", "Layer,M,N,K,\ng,-1,1,1,\n"),
            ("M text", "Layer,M,N,K,\ng,many,1,1,\n"),
            ("M 1.5", "Layer,M,N,K,\ng,1.5,1,1,\n"),
            ("M N K 2^31", "Layer,M,N,K,\ng,2147483648,2147483648,2147483648,\n"),
            ("M 2^63-1", "Layer,M,N,K,\ng,9223372036854775807,1,1,\n"),
            ("M beyond long", "Layer,M,N,K,\ng,99999999999999999999,1,1,\n"),
            ("empty layer name", "Layer,M,N,K,\n,4,4,4,\n"),
            ("conv output count wraps", conv + "c,9223372036854775807,9223372036854775807,1,1,3,8,1,\n"),
            ("conv K wraps", conv + "c,8,8,4294967296,4294967296,4294967296,8,1,\n"),
            ("conv filter larger than input", conv + "c,4,4,8,8,3,8,1,\n"),
            ("conv stride 0", conv + "c,8,8,3,3,3,8,0,\n"),
            ("conv header, GEMM row", conv + "g,4,4,4,\n"),
        };
        foreach (var (name, text) in cases) yield return ScaleSim($"topology {name}", Cfg(), text);
        yield return new("trace: topology header only", ["trace", "--topology", $"{BadInput.Dir}/t.csv", "--out", $"{BadInput.Dir}/trace.jsonl"], File("t.csv", "Layer,M,N,K,\n"));
    }

    // ---- Hugging Face config.json ----

    private static string Config(string overrides = "", string modelType = "llama") =>
        $"{{\"model_type\": \"{modelType}\", \"hidden_size\": 512, \"num_attention_heads\": 8, \"num_hidden_layers\": 2, \"intermediate_size\": 1024, \"vocab_size\": 1000, \"ffn_dim\": 1024, \"max_position_embeddings\": 2048{overrides}}}";

    private static BadInput Hf(string name, string json) =>
        new($"config.json: {name}", ["trace", "--config", $"{BadInput.Dir}/config.json", "--prompt", "8", "--generate", "1"], File("config.json", json));

    private static IEnumerable<BadInput> HuggingFaceConfig()
    {
        yield return Hf("not JSON", "model_type: llama");
        yield return Hf("top-level array", "[1, 2]");
        yield return Hf("missing model_type", "{\"hidden_size\": 512}");
        yield return Hf("model_type t5", Config(modelType: "t5"));
        foreach (string field in (string[])["hidden_size", "num_hidden_layers", "intermediate_size", "vocab_size", "num_attention_heads"])
        {
            yield return Hf($"{field} 0", Config($", \"{field}\": 0").Replace($"\"{field}\": {Value(field)}, ", ""));
            yield return Hf($"{field} 2^31-1", Config($", \"{field}\": 2147483647").Replace($"\"{field}\": {Value(field)}, ", ""));
            yield return Hf($"{field} text", Config($", \"{field}\": \"big\"").Replace($"\"{field}\": {Value(field)}, ", ""));
        }
        yield return Hf("head_dim 2^31-1", Config(", \"head_dim\": 2147483647"));
        yield return Hf("heads x head_dim too wide", Config(", \"head_dim\": 1048576"));
        yield return Hf("hidden_size 1.5", Config(", \"head_dim\": 64").Replace("\"hidden_size\": 512", "\"hidden_size\": 1.5"));
        yield return Hf("kv heads do not divide heads", Config(", \"num_key_value_heads\": 3"));
        yield return Hf("hidden not a multiple of heads", Config().Replace("\"hidden_size\": 512", "\"hidden_size\": 500"));
        yield return Hf("duplicate hidden_size", Config(", \"hidden_size\": 4096"));
        yield return Hf("opt max_position_embeddings 2^31-1", Config(modelType: "opt").Replace("2048", "2147483647"));
        yield return Hf("phi partial_rotary_factor 2", Config(", \"partial_rotary_factor\": 2", "phi"));
        yield return Hf("phi partial_rotary_factor 1e999", Config(", \"partial_rotary_factor\": 1e999", "phi"));
        yield return Hf("tie_word_embeddings yes", Config(", \"tie_word_embeddings\": \"yes\""));
        yield return new("config.json: missing file", ["trace", "--config", $"{BadInput.Dir}/config.json"], new Dictionary<string, byte[]>());
        yield return new("config.json: too large for the batch", ["trace", "--config", $"{BadInput.Dir}/config.json", "--batch", "65536", "--prompt", "1000000"],
            File("config.json", Config()));
    }

    private static string Value(string field) => field switch
    {
        "hidden_size" => "512",
        "num_hidden_layers" => "2",
        "intermediate_size" => "1024",
        "vocab_size" => "1000",
        _ => "8",
    };

    // ---- tensors: safetensors and npy (quantize --tensor) ----

    private static BadInput Tensor(string name, string file, byte[] bytes) =>
        new($"tensor: {name}", ["quantize", "--tensor", $"{BadInput.Dir}/{file}", "--dtype", "int4", "--csv", $"{BadInput.Dir}/q.csv"], File(file, bytes));

    private static byte[] Floats(int count, float value = 0.5f) => TensorIoTests.F32([.. Enumerable.Repeat(value, count)]);

    private static IEnumerable<BadInput> Safetensors()
    {
        const string entry = "\"w\": {\"dtype\": \"F32\", \"shape\": [2, 4], \"data_offsets\": [0, 32]}";
        yield return Tensor("safetensors too short", "w.safetensors", [1, 2, 3]);
        yield return Tensor("safetensors header length huge", "w.safetensors", [.. BitConverter.GetBytes(ulong.MaxValue), .. Floats(4)]);
        yield return Tensor("safetensors header truncated", "w.safetensors", [.. BitConverter.GetBytes(1000UL), .. "{}"u8.ToArray()]);
        yield return Tensor("safetensors header not JSON", "w.safetensors", TensorIoTests.Safetensors("{w: 1}", Floats(8)));
        yield return Tensor("safetensors header an array", "w.safetensors", TensorIoTests.Safetensors("[]", Floats(8)));
        yield return Tensor("safetensors dtype missing", "w.safetensors", TensorIoTests.Safetensors("{\"w\": {\"shape\": [2, 4], \"data_offsets\": [0, 32]}}", Floats(8)));
        yield return Tensor("safetensors shape negative", "w.safetensors", TensorIoTests.Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [-2, 4], \"data_offsets\": [0, 32]}}", Floats(8)));
        yield return Tensor("safetensors offsets past the end", "w.safetensors", TensorIoTests.Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 4], \"data_offsets\": [0, 64]}}", Floats(8)));
        yield return Tensor("safetensors shape product wraps", "w.safetensors",
            TensorIoTests.Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4], \"data_offsets\": [0, 0]}}", Floats(8)));
        yield return Tensor("safetensors duplicate tensor", "w.safetensors", TensorIoTests.Safetensors($"{{{entry}, {entry}}}", Floats(8)));
        yield return Tensor("safetensors NaN weight", "w.safetensors", TensorIoTests.Safetensors($"{{{entry}}}", [.. Floats(7), .. Floats(1, float.NaN)]));
        yield return Tensor("safetensors infinite weight", "w.safetensors", TensorIoTests.Safetensors($"{{{entry}}}", [.. Floats(3), .. Floats(1, float.PositiveInfinity), .. Floats(4)]));
        yield return Tensor("safetensors dtype I8", "w.safetensors", TensorIoTests.Safetensors("{\"w\": {\"dtype\": \"I8\", \"shape\": [2, 4], \"data_offsets\": [0, 8]}}", new byte[8]));
        yield return Tensor("safetensors one input channel", "w.safetensors", TensorIoTests.Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [8, 1], \"data_offsets\": [0, 32]}}", Floats(8)));
    }

    private static IEnumerable<BadInput> Npy()
    {
        yield return Tensor("npy bad magic", "w.npy", Encoding.ASCII.GetBytes("NOTNUMPY0123456789"));
        yield return Tensor("npy version 9", "w.npy", [0x93, .. "NUMPY"u8.ToArray(), 9, 0, 0, 0]);
        yield return Tensor("npy truncated header", "w.npy", [0x93, .. "NUMPY"u8.ToArray(), 1, 0, 200, 0, (byte)'{']);
        yield return Tensor("npy descr int32", "w.npy", TensorIoTests.Npy("<i4", "2, 4", new byte[32]));
        yield return Tensor("npy big-endian", "w.npy", TensorIoTests.Npy(">f4", "2, 4", new byte[32]));
        yield return Tensor("npy fortran order", "w.npy", TensorIoTests.Npy("<f4", "2, 4", Floats(8), fortran: true));
        yield return Tensor("npy shape wraps", "w.npy", TensorIoTests.Npy("<f4", "4294967296, 4294967296, 4", Floats(8)));
        yield return Tensor("npy shape negative", "w.npy", TensorIoTests.Npy("<f4", "-2, 4", Floats(8)));
        yield return Tensor("npy data short", "w.npy", TensorIoTests.Npy("<f4", "2, 4", Floats(7)));
        yield return Tensor("npy data long", "w.npy", TensorIoTests.Npy("<f4", "2, 4", Floats(9)));
        yield return Tensor("npy NaN weight", "w.npy", TensorIoTests.Npy("<f4", "2, 4", [.. Floats(5), .. Floats(1, float.NaN), .. Floats(2)]));
        yield return Tensor("npy header length huge", "w.npy", [0x93, .. "NUMPY"u8.ToArray(), 2, 0, .. BitConverter.GetBytes(uint.MaxValue)]);
        yield return Tensor("npy scalar", "w.npy", TensorIoTests.Npy("<f4", "", Floats(1)));
        yield return new("tensor: missing file", ["quantize", "--tensor", $"{BadInput.Dir}/none.npy"], new Dictionary<string, byte[]>());
    }

    // ---- cost and importance tables ----

    private const string CostHeader = "item,quantity,bits,capacity_bytes,node_nm,value,unit,width_exponent,source\n";

    private static BadInput Cost(string name, string text) =>
        new($"cost csv: {name}", ["cost", "--arch", "int8-systolic", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--costs", $"{BadInput.Dir}/costs.csv"],
            File("costs.csv", text));

    private static string CostRow(string bits = "8", string capacity = "", string node = "45", string value = "0.03", string unit = "pJ",
        string exponent = "1", string source = "\"test source\"", string quantity = "energy") =>
        CostHeader + $"int_add,{quantity},{bits},{capacity},{node},{value},{unit},{exponent},{source}\n";

    private static IEnumerable<BadInput> CostCsv()
    {
        yield return Cost("empty", "");
        yield return Cost("wrong header", "a,b,c\n");
        yield return Cost("header only", CostHeader);
        yield return Cost("8 fields", CostHeader + "int_add,energy,8,,45,0.03,pJ,1\n");
        yield return Cost("unknown quantity", CostRow(quantity: "power"));
        yield return Cost("unit for another quantity", CostRow(unit: "um2"));
        yield return Cost("no source", CostRow(source: ""));
        yield return Cost("value 0", CostRow(value: "0"));
        yield return Cost("value -1", CostRow(value: "-1"));
        yield return Cost("value 1e308", CostRow(value: "1e308"));
        yield return Cost("value NaN", CostRow(value: "NaN"));
        yield return Cost("value Infinity", CostRow(value: "Infinity"));
        yield return Cost("value text", CostRow(value: "cheap"));
        yield return Cost("bits 1.5", CostRow(bits: "1.5"));
        yield return Cost("bits 0", CostRow(bits: "0"));
        yield return Cost("bits 1e300", CostRow(bits: "1e300"));
        yield return Cost("capacity -1", CostRow(capacity: "-1"));
        yield return Cost("capacity 1e300", CostRow(capacity: "1e300"));
        yield return Cost("node 0", CostRow(node: "0"));
        yield return Cost("width_exponent 1e308", CostRow(exponent: "1e308"));
        yield return Cost("width_exponent NaN", CostRow(exponent: "NaN"));
        yield return Cost("unbalanced quotes", CostHeader + "int_add,energy,8,,45,0.03,pJ,1,\"unterminated\n");
        yield return new("cost csv: missing file", ["cost", "--costs", $"{BadInput.Dir}/none.csv"], new Dictionary<string, byte[]>());
    }

    private static BadInput Importance(string name, string text) =>
        new($"importance csv: {name}", ["optimize", "--arch", "int8-systolic", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--pareto", "0",
            "--sample-rows", "1", "--importance", $"{BadInput.Dir}/importance.csv", "--out", $"{BadInput.Dir}/plan.json"], File("importance.csv", text));

    private static IEnumerable<BadInput> ImportanceCsv()
    {
        const string header = "layer,op,importance\n";
        yield return Importance("wrong header", "layer,op\n0,q_proj\n");
        yield return Importance("2 fields", header + "0,q_proj\n");
        yield return Importance("layer text", header + "first,q_proj,1\n");
        yield return Importance("layer -2", header + "-2,q_proj,1\n");
        yield return Importance("empty op", header + "0,,1\n");
        yield return Importance("importance -1", header + "0,q_proj,-1\n");
        yield return Importance("importance NaN", header + "0,q_proj,NaN\n");
        yield return Importance("importance 1e308", header + "0,q_proj,1e308\n");
        yield return Importance("duplicate row", header + "0,q_proj,1\n0,q_proj,2\n");
        yield return Importance("unknown layer", header + "999,q_proj,1\n");
        yield return Importance("unknown op", header + "0,gate_proj,1\n");
        yield return Importance("unbalanced quotes", header + "0,\"q_proj,1\n");
        yield return new("importance csv: missing file", ["optimize", "--importance", $"{BadInput.Dir}/none.csv"], new Dictionary<string, byte[]>());
    }

    // ---- option values ----

    private static BadInput Cli(string name, params string[] args) => new($"option: {name}", args, new Dictionary<string, byte[]>());

    private static BadInput Cli(string name, int exitCode, params string[] args) => new($"option: {name}", args, new Dictionary<string, byte[]>(), exitCode);

    private static IEnumerable<BadInput> OptionValues()
    {
        string o = $"{BadInput.Dir}/out";
        yield return Cli("unknown command", "frobnicate");
        yield return Cli("no command");
        yield return Cli("unknown option", "simulate", "--turbo");
        yield return Cli("--prompt 0", "simulate", "--prompt", "0");
        yield return Cli("--prompt text", "simulate", "--prompt", "many");
        yield return Cli("--prompt 2^31", "simulate", "--prompt", "2147483648");
        yield return Cli("--prompt 2^31-1", "simulate", "--prompt", "2147483647");
        yield return Cli("--prompt beyond long", "trace", "--prompt", "99999999999999999999");
        yield return Cli("--batch 2^31-1", "trace", "--batch", "2147483647", "--prompt", "100000");
        yield return Cli("--batch 0", "cost", "--batch", "0");
        yield return Cli("--generate -1", "trace", "--generate", "-1");
        yield return Cli("--model unknown", "simulate", "--model", "gpt-9");
        yield return Cli("--arch unknown", "simulate", "--arch", "tpu-v9");
        yield return Cli("--weights unknown", "simulate", "--weights", "int99");
        yield return Cli("--weights three phases", "simulate", "--weights", "int8/int4/int2");
        yield return Cli("--weights and --plan", "simulate", "--weights", "int8", "--plan", $"{BadInput.Dir}/none.json");
        yield return Cli("--top -1", "simulate", "--top", "-1");
        yield return Cli("--compare unknown design", "simulate", "--compare", "bitmod,warp", "--prompt", "8", "--generate", "1");
        yield return Cli("--node NaN", "cost", "--node", "NaN");
        yield return Cli("--node Infinity", "cost", "--node", "Infinity");
        yield return Cli("--node 1e309", "cost", "--node", "1e309");
        yield return Cli("--vdd -1", "cost", "--vdd", "-1");
        yield return Cli("--vdd NaN", "optimize", "--vdd", "NaN", "--out", $"{o}.json");
        yield return Cli("--latency-budget text", "optimize", "--latency-budget", "soon", "--prompt", "8", "--generate", "1", "--model", "opt-1.3b", "--arch", "int8-systolic", "--out", $"{o}.json");
        yield return Cli("--latency-budget 1e309ms", "optimize", "--latency-budget", "1e309ms", "--prompt", "8", "--generate", "1", "--model", "opt-1.3b", "--arch", "int8-systolic", "--out", $"{o}.json");
        yield return Cli("--energy-budget unknown unit", "optimize", "--energy-budget", "5kWh", "--prompt", "8", "--generate", "1", "--model", "opt-1.3b", "--arch", "int8-systolic", "--out", $"{o}.json");
        yield return Cli("--memory-budget 0x", "optimize", "--memory-budget", "0x", "--prompt", "8", "--generate", "1", "--model", "opt-1.3b", "--arch", "int8-systolic", "--out", $"{o}.json");
        yield return Cli("--solver unknown", "optimize", "--solver", "gurobi", "--prompt", "8", "--generate", "1", "--model", "opt-1.3b", "--arch", "int8-systolic", "--out", $"{o}.json");
        yield return Cli("--time-limit 0", "optimize", "--time-limit", "0");
        yield return Cli("optimize --out empty", "optimize", "--out", "");
        yield return Cli("optimize --out in a missing directory", "optimize", "--out", $"{BadInput.Dir}/missing/plan.json");
        yield return Cli("optimize --out a directory", "optimize", "--out", BadInput.Dir);
        yield return Cli("--granularity unknown", "optimize", "--granularity", "tensor");
        yield return Cli("quantize --clip unknown", "quantize", "--synthetic", "--clip", "median");
        yield return Cli("quantize --dtype unknown", "quantize", "--synthetic", "--dtype", "int99");
        yield return Cli("quantize --dtype empty", "quantize", "--synthetic", "--dtype", ",");
        yield return Cli("quantize --group 0", "quantize", "--synthetic", "--group", "0");
        yield return Cli("quantize mxfp4 with --group", "quantize", "--synthetic", "--dtype", "mxfp4", "--group", "64", "--rows", "8", "--cols", "64");
        yield return Cli("quantize nvfp4 with --group", "quantize", "--synthetic", "--dtype", "nvfp4", "--group", "32", "--rows", "8", "--cols", "64");
        yield return Cli("quantize --activation-rows 2^31-1", "quantize", "--synthetic", "--activation-rows", "2147483647", "--rows", "8", "--cols", "64");
        yield return Cli("quantize --rows x --cols huge", "quantize", "--synthetic", "--rows", "2000000000", "--cols", "2000000000");
        yield return Cli("quantize --outlier-magnitude NaN", "quantize", "--synthetic", "--outlier-magnitude", "NaN", "--rows", "8", "--cols", "64");
        yield return Cli("quantize --outlier-magnitude -1", "quantize", "--synthetic", "--outlier-magnitude", "-1", "--rows", "8", "--cols", "64");
        yield return Cli("quantize both sources", "quantize", "--synthetic", "--tensor", $"{BadInput.Dir}/w.npy");
        yield return Cli("quantize no source", "quantize");
        yield return Cli("quantize --csv in a missing directory", "quantize", "--synthetic", "--csv", $"{BadInput.Dir}/missing/q.csv");
        yield return Cli("demo --producer-cycles 2^63-1", "demo", "--producer-cycles", "9223372036854775807");
        yield return Cli("demo --items 2^63-1", "demo", "--items", "9223372036854775807");
        yield return Cli("demo --clock-mhz 2000000", "demo", "--clock-mhz", "2000000");
        yield return Cli("demo --fifo-depth 0", "demo", "--fifo-depth", "0");
        yield return Cli("trace --weights int99", "trace", "--weights", "int99");
        yield return Cli("trace --kv-cache unknown", "trace", "--kv-cache", "zip");
        yield return Cli("trace --out empty", "trace", "--out", "");
        yield return Cli("export --out empty", "export", "--out", "");
        yield return Cli("simulate --topology alone", "simulate", "--topology", $"{BadInput.Dir}/t.csv");
        yield return Cli("simulate --scalesim-config alone", "simulate", "--scalesim-config", $"{BadInput.Dir}/s.cfg");
        yield return Cli("simulate --scalesim-config missing", "simulate", "--scalesim-config", $"{BadInput.Dir}/s.cfg", "--topology", $"{BadInput.Dir}/t.csv");
        yield return Cli("unwritable --out", 1, "trace", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--out", "/proc/hwsim-trace.jsonl");
        yield return new("option: export --out an existing file", ["export", "--out", $"{BadInput.Dir}/rtl"], File("rtl", "not a directory"));
    }
}
