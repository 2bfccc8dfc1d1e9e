using BenchmarkDotNet.Attributes;
using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Bench;

/// <summary>
/// The design runs of BitMoD's Fig. 7 in one process: its six models (OPT-1.3B, Phi-2, Yi-6B, LLaMA-2-7B/13B,
/// LLaMA-3-8B) on five designs (FP16 baseline, ANT, OliVe, BitMoD, BitMoD generative), each a prefill of 256 tokens
/// and 20 decode steps (the paper's generative setting: shared/reference bitmod.md), with each preset's default
/// weights. Target (issue 15): under 2 s.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PaperSetBenchmarks
{
    private static readonly string[] Models = ["opt-1.3b", "phi-2", "yi-6b", "llama-2-7b", "llama-2-13b", "llama-3-8b"];
    private static readonly string[] Designs = ["fp16-baseline", "ant", "olive", "bitmod", "bitmod-gen"];

    private static readonly Workload[] Workloads =
        [.. Models.Select(m => LlmTracer.Trace(new TraceRequest(ModelZoo.Get(m), 1, 256, 20)))];

    [Benchmark(Description = "BitMoD Fig. 7 set: 6 models x 5 designs, prefill 256 + decode 20")]
    public long Fig7Set()
    {
        long cycles = 0;
        foreach (var workload in Workloads)
            foreach (string design in Designs)
            {
                var spec = Presets.Find(design)!;
                var run = FastSimulator.Run(spec, workload, RunFormats.Default(spec));
                cycles += run.PrefillCycles + run.DecodeCycles;
            }
        return cycles;
    }
}
