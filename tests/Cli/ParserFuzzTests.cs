using CsCheck;
using HwSim.Arch.Plans;
using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;
using HwSim.Cli;
using HwSim.Cli.Sweep;
using HwSim.CostModels.Sensitivity;
using HwSim.CostModels.Tables;
using HwSim.Numerics.Formats;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Registry;
using HwSim.Tests.Numerics;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Cli;

/// <summary>
/// CsCheck fuzzing of every input parser with mutants of a valid input (<see cref="Mutations"/>): each result is a
/// success or a one-line input error, never another exception. Parse level only (plus the cheap checks that follow
/// parsing: plan against workload, SCALE-Sim compute report, tracing a config), <see cref="Iterations"/> mutants each.
/// </summary>
public sealed class ParserFuzzTests : IDisposable
{
    private const long Iterations = 10_000;

    /// <summary>The file-reading parsers write each mutant to a file: in memory (tmpfs) where the system has one.</summary>
    private readonly string scratch = Directory.CreateDirectory(Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(),
        $"hwsim-fuzz-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static readonly Workload Opt = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 8, 1));

    [Fact]
    public void AcceleratorJson() =>
        Mutations.Of(BadInputCorpus.ValidAccelerator).Sample(text =>
            Mutations.SucceedsOrFailsAsInputError(() => AcceleratorSpecJson.Read(text, "a.json"), typeof(InvalidDataException)), iter: Iterations);

    [Fact]
    public void StudyFile()
    {
        // A small study: the parse, the axis paths and the first points' resolution (design edits through the strict
        // accelerator reader) run for every mutant; nothing is simulated.
        const string valid = "name: fuzz\ndesigns: [ant, bitmod]\nworkload:\n  model: opt-1.3b\n  batch: 1\n  prompt: 8\n  generate: 1\n" +
            "zip:\n  - array.rows: [16, 32]\n    array.cols: [16, 32]\naxes:\n  dram.bytesPerCycle: [16, 32]\n" +
            "constraints: [area_mm2 <= 50]\nmetrics: [latency_ms, energy_mj, area_mm2]\n";
        Mutations.Of(valid).Sample(text => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            var study = HwSim.Cli.Sweep.StudyFile.Parse(StudyDocument.ParseYaml(text, "s.yaml"), Path.Combine(scratch, "s.yaml"));
            var resolver = new PointResolver(study);
            for (long index = 0; index < Math.Min(study.PointCount, 4); index++) _ = resolver.Resolve(index);
        }, typeof(InvalidDataException), typeof(UserInputException)), iter: Iterations);
    }

    [Fact]
    public void PlanJson()
    {
        string valid = PrecisionPlanJson.Write(new PrecisionPlan("opt-1.3b", "int8-systolic",
            [new(0, "q_proj", "int8"), new(1, "fc1", "int4", Phase.Decode), new(-1, "lm_head", "int8")]));
        Mutations.Of(valid).Sample(text => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            var plan = PrecisionPlanJson.Read(text);
            _ = PlanWorkloadValidator.Validate(plan, Opt);
        }, typeof(InvalidDataException)), iter: Iterations);
    }

    [Fact]
    public void ScaleSimConfigFile()
    {
        string valid = "[general]\nrun_name = fuzz\n[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\nIfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\nIfmapOffset: 0\nDataflow: os\nBandwidth: 10\n";
        Mutations.Of(valid).Sample(text =>
            Mutations.SucceedsOrFailsAsInputError(() => ScaleSimConfig.Read(new StringReader(text), "s.cfg"), typeof(InvalidDataException)), iter: Iterations);
    }

    [Fact]
    public void ScaleSimTopologyFile()
    {
        var spec = ScaleSimConfig.Read(new StringReader("[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\nIfmapSramSzkB: 4\nFilterSramSzkB: 4\nOfmapSramSzkB: 4\nDataflow: ws\n"));
        string gemm = "Layer,M,N,K,\ng1,64,32,128,\ng2,7,9,11,\n";
        string conv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1,56,56,3,3,64,64,1,\nc2,28,28,1,1,128,256,2,\n";
        Gen.OneOf(Mutations.Of(gemm), Mutations.Of(conv)).Sample(text => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            var layers = ScaleSimTopology.Read(new StringReader(text), "t.csv");
            _ = ComputeReport.Of(spec, layers);
        }, typeof(InvalidDataException)), iter: Iterations);
    }

    [Fact]
    public void HuggingFaceConfigFile()
    {
        string llama = "{\"model_type\": \"llama\", \"hidden_size\": 256, \"num_attention_heads\": 8, \"num_key_value_heads\": 2, \"num_hidden_layers\": 2, \"intermediate_size\": 512, \"vocab_size\": 1000, \"tie_word_embeddings\": false}";
        string opt = "{\"model_type\": \"opt\", \"hidden_size\": 256, \"num_attention_heads\": 8, \"num_hidden_layers\": 2, \"ffn_dim\": 512, \"vocab_size\": 1000, \"max_position_embeddings\": 2048}";
        string phi = "{\"model_type\": \"phi\", \"hidden_size\": 256, \"num_attention_heads\": 8, \"num_hidden_layers\": 2, \"intermediate_size\": 512, \"vocab_size\": 1000, \"partial_rotary_factor\": 0.4, \"head_dim\": 32}";
        Gen.OneOf(Mutations.Of(llama), Mutations.Of(opt), Mutations.Of(phi)).Sample(text => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            var config = HuggingFaceConfigReader.Parse(text, "fuzz");
            var request = new TraceRequest(config, 1, 4, 1);
            if (request.Validate() is null && (long)config.Layers * config.HiddenSize <= 1 << 16) _ = LlmTracer.Trace(request);
        }, typeof(InvalidModelConfigException)), iter: Iterations);
    }

    [Fact]
    public void Safetensors()
    {
        string header = "{\"__metadata__\": {\"format\": \"pt\"}, \"a\": {\"dtype\": \"F32\", \"shape\": [2, 4], \"data_offsets\": [0, 32]}, \"b\": {\"dtype\": \"F16\", \"shape\": [4], \"data_offsets\": [32, 40]}}";
        byte[] data = [.. TensorIoTests.F32(1, 2, 3, 4, 5, 6, 7, 8), .. new byte[8]];
        var headerMutants = Mutations.Of(header).Select(h => TensorIoTests.Safetensors(h, data));
        var byteMutants = Mutations.OfBytes(TensorIoTests.Safetensors(header, data));
        Gen.OneOf(headerMutants, byteMutants).Sample(bytes => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            string path = Path.Combine(scratch, $"{Guid.NewGuid():N}.safetensors");
            File.WriteAllBytes(path, bytes);
            try
            {
                var file = SafetensorsFile.Open(path);
                foreach (var entry in file.Entries) _ = file.Read(entry.Name);
            }
            finally
            {
                File.Delete(path);
            }
        }, typeof(InvalidDataException)), iter: Iterations);
    }

    [Fact]
    public void Npy()
    {
        byte[] valid = TensorIoTests.Npy("<f4", "2, 4", TensorIoTests.F32(1, 2, 3, 4, 5, 6, 7, 8));
        Mutations.OfBytes(valid).Sample(bytes => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            string path = Path.Combine(scratch, $"{Guid.NewGuid():N}.npy");
            File.WriteAllBytes(path, bytes);
            try
            {
                _ = NpyFile.Read(path).ToMatrix();
            }
            finally
            {
                File.Delete(path);
            }
        }, typeof(InvalidDataException)), iter: Iterations);
    }

    [Fact]
    public void CostCsv()
    {
        string valid = "item,quantity,bits,capacity_bytes,node_nm,value,unit,width_exponent,source\n"
            + "int_add,energy,8,,45,0.03,pJ,1,\"Horowitz, ISSCC 2014\"\nsram_read,energy,64,32768,45,10,pJ,1,CACTI\npe,area,8,,28,120.5,um2,2,\"synthesis\"\n";
        Mutations.Of(valid).Sample(text => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            var table = CostTable.BuiltIn.With(CostTable.Parse(text, "costs.csv"));
            Assert.All(table.Rows, row => Assert.True(double.IsFinite(row.Value) && row.Value > 0));
        }, typeof(InvalidDataException)), iter: Iterations);
    }

    [Fact]
    public void ImportanceCsv()
    {
        var ops = Opt.Prefill.Where(PlanWorkloadValidator.IsPlannable).Select(o => new LinearOpShape(o.Layer, o.Name.Split('.')[^1], 1, 1)).Distinct().ToList();
        string valid = "layer,op,importance\n0,q_proj,1.5\n1,*,0.25\n-1,lm_head,2\n";
        Mutations.Of(valid).Sample(text => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            var importance = ImportanceFile.Parse(text, "importance.csv");
            importance.CheckAgainst(ops);
            Assert.All(ops, op => Assert.True(double.IsFinite(importance.Of(op.Layer, op.Op))));
        }, typeof(InvalidDataException)), iter: Iterations);
    }

    [Fact]
    public void OptionValues()
    {
        string[] valid = ["0.8x", "12ms", "5000000", "2J", "500mJ", "3.5GB", "3GiB", "5.5mm2", "int4-g64", "bitmod4/bitmod3", "fp16", "mxfp4", "int8-asym"];
        Gen.Int[0, valid.Length - 1].SelectMany(i => Mutations.Of(valid[i])).Sample(text => Mutations.SucceedsOrFailsAsInputError(() =>
        {
            _ = BudgetText.Latency(text, 1_000_000, 1_000_000_000);
            _ = BudgetText.Energy(text, 1_000_000);
            _ = BudgetText.Memory(text, 1_000_000);
            _ = BudgetText.Area(text, 1e6);
        }, typeof(UserInputException)) && Mutations.SucceedsOrFailsAsInputError(() => DesignOptions.ParseWeights(text, "--weights"), typeof(UserInputException))
          && Mutations.SucceedsOrFailsAsInputError(() => StorageFormat.Parse(text), typeof(FormatException))
          && Mutations.SucceedsOrFailsAsInputError(() => QuantizerCatalog.Create(text, 64), typeof(FormatException))
          && (WeightDatatypes.TryGet(text, out _, out string? problem) || problem is { Length: > 0 }), iter: Iterations);
    }
}
