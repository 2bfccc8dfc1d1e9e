using BenchmarkDotNet.Attributes;
using HwSim.Arch.Fast;
using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;
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

    // The two SCALE-Sim rows below have no SCALE-Sim counterpart: SCALE-Sim derives its report from a cycle-level
    // trace (see ScaleSimComparisonBenchmarks for that comparison).
    [Benchmark(Description = "SCALE-Sim 128x128 WS M=512 N=4096 K=4096: COMPUTE_REPORT numbers by HwSim's closed form")]
    public long ScaleSimReport() => ComputeReport.Of(ScaleSim128, ScaleSimLayer)[0].TotalCycles;

    [Benchmark(Description = "SCALE-Sim 128x128 WS M=512 N=4096 K=4096: HwSim fast model (closed-form tiles + DRAM, buffers, DMA events)")]
    public long ScaleSimFast() => FastSimulator.Run(ScaleSim128, ScaleSimLayer, RunFormats.Default(ScaleSim128)).TotalCycles;

    [Params("fp16-baseline", "ant", "olive", "bitmod", "bitmod-gen", "int8-systolic")]
    public string Preset { get; set; } = "bitmod";

    [Benchmark(Description = "llama-2-7b P=2048 T=128")]
    public long Llama2() => FastSimulator.Run(Presets.Find(Preset)!, Llama, RunFormats.Default(Presets.Find(Preset)!)).TotalCycles;
}

/// <summary>
/// Target: the detailed array at least 50 M PE-cycles per second (one core). Three rates per case, from the median
/// and the counts of one run (<see cref="DetailedCases"/>): array-cycles/s (the array's clock), PE-cycles/s (array
/// cycles × PEs, idle and preload PE-cycles included) and busy PE-cycles/s (PE-cycles doing a MAC step).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(DetailedRatesConfig))]
public class DetailedModelBenchmarks
{
    private DetailedCases.Instance run = null!;

    [Params("ws-32x32-int8", "os-32x32-int8", "bitmod-32x32-bitmod4")]
    public string Case { get; set; } = "ws-32x32-int8";

    [GlobalSetup]
    public void Setup()
    {
        run = DetailedCases.Build(Case);
        var counts = DetailedCases.Counts(Case);
        Console.WriteLine($"// {Case}: {counts.Cycles} array-cycles, {counts.PeCycles} PE-cycles, {counts.BusyPeCycles} busy PE-cycles per run");
    }

    [Benchmark(Description = "detailed GEMM M=64 N=64 K=256")]
    public long Run() => run.Simulator.Run(run.Activations, DetailedCases.M, run.Weights).PeCycles;
}

/// <summary>
/// Target (issue 15): LLaMA-2-70B at batch 64, P = 4096, T = 4096 on `bitmod` in under 3 s for the whole process,
/// with the cycles of the event-by-event run. In-process here; the whole-process figure is in bench/RESULTS.md.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LongDecodeBenchmarks
{
    private static readonly Workload Llama70b = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("llama-2-70b"), 64, 4096, 4096));

    [Benchmark(Description = "fast model, llama-2-70b B=64 P=4096 T=4096 on bitmod (5.6 M op instances, 19.1 G events of the event-by-event run)")]
    public long Llama70bLongDecode()
    {
        var spec = Presets.Find("bitmod")!;
        return FastSimulator.Run(spec, Llama70b, RunFormats.Default(spec)).TotalCycles;
    }
}
