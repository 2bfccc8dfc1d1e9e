using BenchmarkDotNet.Attributes;
using HwSim.Arch.Fast;
using HwSim.Arch.Memory;
using HwSim.Arch.Serving;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;

namespace HwSim.Bench;

/// <summary>
/// Target: one simulated hour of serving LLaMA-2-7B at 10 requests/s in under 30 s (whole process, measured with
/// `hwsim serve`). This benchmark times the in-process part on ten simulated minutes (about 6,000 requests), fresh
/// memo each invocation, on the design of examples/arch/tpu-v4i-like.json with 16 GiB.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ServeBenchmarks
{
    // examples/arch/tpu-v4i-like.json: the int8-systolic core as a broadcast OS array at 1050 MHz with 584 B/cycle.
    private static readonly AcceleratorSpec Design = Presets.Find("int8-systolic")! with
    {
        Name = "tpu-v4i-like",
        ClockMhz = 1050,
        Array = new ArraySpec(256, 256, Dataflow.Os, Interconnect.Broadcast),
        Dram = new SimpleDramSpec(BytesPerCycle: 584) { CapacityBytes = 16L << 30 },
    };

    private static readonly ModelConfig Model = ModelZoo.Get("llama-2-7b");

    private static readonly IReadOnlyList<ServingRequest> Requests = RequestSource.Poisson(10, 0, 600, null,
        LengthDistribution.Parse("uniform:64:512", "prompt"), LengthDistribution.Parse("uniform:16:128", "output"));

    [Benchmark(Description = "serve llama-2-7b, 10 req/s, 600 simulated s, continuous batching, separable grid 16")]
    public long TenMinutes()
    {
        var formats = RunFormats.Default(Design);
        var capacity = KvCapacity.Of(Design.Dram.CapacityBytes!.Value, Model, formats, KvCache.DefaultBlockTokens);
        var scheduler = new ContinuousBatchScheduler(new SchedulerOptions(256, 2048, false, KvPolicy.Preempt));
        var outcome = new ServingSimulation(Requests, scheduler, new SeparableIterationCost(Design, formats, Model, 16),
            new KvCache(capacity.Blocks, KvCache.DefaultBlockTokens), Design.ClockHz).Run();
        return outcome.Completed;
    }
}
