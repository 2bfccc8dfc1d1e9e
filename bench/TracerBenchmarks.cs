using BenchmarkDotNet.Attributes;
using HwSim.Workloads.Analysis;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Bench;

/// <summary>Tracing LLaMA-2-70B with P = 4096, T = 4096 (target: under 1 s and 200 MB).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class TracerBenchmarks
{
    private static readonly TraceRequest Request = new(ModelZoo.Get("llama-2-70b"), Batch: 1, Prompt: 4096, Generate: 4096);

    [Benchmark(Description = "trace llama-2-70b P=4096 T=4096")]
    public int Trace() => LlmTracer.Trace(Request).Decode.Count;

    [Benchmark(Description = "trace + exact summary (bytes summed over all 4096 decode steps)")]
    public Int128 TraceAndSummarize() => WorkloadSummary.Of(LlmTracer.Trace(Request)).DecodeBytes;
}
