using BenchmarkDotNet.Attributes;
using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Pe;
using HwSim.Arch.Fast;
using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Bench;

/// <summary>
/// Targets: the SCALE-Sim 128x128 WS layer M=512 N=4096 K=4096 in fast mode under 250 ms; LLaMA-2-7B prefill 2048 +
/// decode 128 on each preset under 5 s on one core.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FastModelBenchmarks
{
    private static readonly AcceleratorSpec ScaleSim128 = ScaleSimConfig.Read(new StringReader(
        "[architecture_presets]\nArrayHeight: 128\nArrayWidth: 128\nIfmapSramSzkB: 6144\nFilterSramSzkB: 6144\nOfmapSramSzkB: 2048\nBandwidth: 10\nDataflow: ws\n"));

    private static readonly Workload ScaleSimLayer = ScaleSimTopology.Read(new StringReader("Layer,M,N,K,\nlayer,512,4096,4096,\n"));

    private static readonly Workload Llama = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("llama-2-7b"), 1, 2048, 128));

    [Benchmark(Description = "SCALE-Sim 128x128 WS M=512 N=4096 K=4096: COMPUTE_REPORT")]
    public long ScaleSimReport() => ComputeReport.Of(ScaleSim128, ScaleSimLayer)[0].TotalCycles;

    [Benchmark(Description = "SCALE-Sim 128x128 WS M=512 N=4096 K=4096: fast model with DRAM and buffers")]
    public long ScaleSimFast() => FastSimulator.Run(ScaleSim128, ScaleSimLayer, RunFormats.Default(ScaleSim128)).TotalCycles;

    [Params("fp16-baseline", "ant", "olive", "bitmod", "bitmod-gen", "int8-systolic")]
    public string Preset { get; set; } = "bitmod";

    [Benchmark(Description = "llama-2-7b P=2048 T=128")]
    public long Llama2() => FastSimulator.Run(Presets.Find(Preset)!, Llama, RunFormats.Default(Presets.Find(Preset)!)).TotalCycles;
}

/// <summary>Target: the detailed array at least 50 M PE-cycles per second (one core).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class DetailedModelBenchmarks
{
    private const int M = 64, N = 64, K = 256;
    private readonly long[] activations = new long[M * K];
    private EncodedWeights weights = null!;

    [Params("ws-32x32-int8", "os-32x32-int8", "bitmod-32x32-bitmod4")]
    public string Case { get; set; } = "ws-32x32-int8";

    private DetailedArraySimulator simulator = null!;


    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < activations.Length; i++) activations[i] = random.Next(-128, 128);
        var codes = new byte[N * K];
        if (Case.StartsWith("bitmod", StringComparison.Ordinal))
        {
            for (int i = 0; i < codes.Length; i++) codes[i] = (byte)random.Next(16);
            weights = new EncodedWeights(N, K, codes, new byte[N * K / 128].Select(_ => (byte)random.Next(4)).ToArray(), 128);
            var preset = Presets.Find("bitmod")!;
            simulator = new DetailedArraySimulator(preset.Array, preset.Pe, WeightDatatypes.Get("bitmod4"), new BitmodDecoderUnit(4));
        }
        else
        {
            for (int i = 0; i < codes.Length; i++) codes[i] = (byte)random.Next(256);
            weights = new EncodedWeights(N, K, codes);
            var dataflow = Case.StartsWith("ws", StringComparison.Ordinal) ? Dataflow.Ws : Dataflow.Os;
            simulator = new DetailedArraySimulator(new ArraySpec(32, 32, dataflow), new BitParallelPe(1, ["int8"], "int8"),
                WeightDatatypes.Get("int8"), new RomDecoderUnit(IntegerTypes.TwosComplement(8)));
        }
        Console.WriteLine($"// {Case}: {simulator.Run(activations, M, weights).PeCycles} PE-cycles per run");
    }

    [Benchmark(Description = "detailed GEMM M=64 N=64 K=256")]
    public long Run() => simulator.Run(activations, M, weights).PeCycles;
}
