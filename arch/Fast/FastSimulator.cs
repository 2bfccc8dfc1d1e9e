using HwSim.Arch.Spec;
using HwSim.Sim.Stats;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// What a fast run measured. <see cref="Components"/>: busy / stall / idle cycles of the compute unit, the DMA
/// engines, the buffer slots and the DRAM data bus (the DRAM's in its own clock), in that order.
/// <see cref="EventsProcessed"/>: kernel events of the event-by-event run, <see cref="EventsRun"/> those the kernel
/// actually ran (fewer when the pipeline skipped repetitions).
/// </summary>
public sealed record RunResult(
    AcceleratorSpec Spec,
    RunFormats Formats,
    Workload Workload,
    IReadOnlyList<OpResult> Ops,
    long TotalCycles,
    long EventsProcessed,
    IReadOnlyList<UnitActivityReport> Components)
{
    public long EventsRun { get; init; }

    public long PhaseCycles(Phase phase) => Ops.Where(o => o.Op.Phase == phase).Sum(o => o.Cycles);

    public long PrefillCycles => PhaseCycles(Phase.Prefill) + PhaseCycles(Phase.Standalone);

    public long DecodeCycles => PhaseCycles(Phase.Decode);

    public double Milliseconds(long cycles) => cycles * 1000.0 / Spec.ClockHz;

    public long Sum(Func<OpResult, long> field) => Ops.Sum(field);

    /// <summary>Busy PE-cycles over all PE-cycles of the run.</summary>
    public double ArrayUtilization(Phase? phase = null)
    {
        var ops = Ops.Where(o => phase is null || o.Op.Phase == phase).ToList();
        long cycles = ops.Sum(o => o.Cycles);
        return cycles == 0 ? 0 : ops.Sum(o => (double)o.BusyPeCycles) / ((double)cycles * Spec.Array.Rows * Spec.Array.Cols);
    }
}

/// <summary>
/// Runs a traced workload on an accelerator with the transaction-level model: prefill ops once, then every decode
/// step's ops at its KV length, all as one stream of tiles through <see cref="TilePipeline"/> (so the next op's
/// weights prefetch while this op computes). Array tiles take the closed-form cycles of
/// <see cref="Timing.ArrayTiming"/>, which the tests hold equal to the detailed simulator.
/// </summary>
public static class FastSimulator
{
    /// <param name="fullEvents">
    /// Simulate every tile event by event instead of skipping exact repetitions (<see cref="TilePipeline"/>); the
    /// results are the same, only slower.
    /// </param>
    /// <param name="progress">Told how many more op instances (<see cref="OpInstances"/> in all) the run has reached, now and then.</param>
    /// <param name="trace">Where to write a timeline of the run (<see cref="RunTrace"/>); finished when the run ends.</param>
    public static RunResult Run(AcceleratorSpec spec, Workload workload, RunFormats formats, bool fullEvents = false,
        Action<long>? progress = null, RunTrace? trace = null)
    {
        var stream = new InstanceStream(workload, new OpTiler(spec, formats), progress);
        var instanceOps = new InstanceOps(stream);
        trace?.Bind(workload, instanceOps);
        var results = stream.Results;
        var pipeline = new TilePipeline(spec, stream.Next, (instance, cycles, compute, busy) =>
        {
            var result = results[stream.PositionOf(instance)];
            result.Cycles += cycles;
            result.ComputeCycles += compute;
            result.BusyPeCycles += busy;
        }, fullEvents, trace, stream.Repeats);
        long total = pipeline.Run();
        trace?.Finish(total);
        stream.Finish();
        return new RunResult(spec, formats, workload, results, total, pipeline.EventsProcessed,
            pipeline.Activity(total)) { EventsRun = pipeline.EventsRun };
    }

    /// <summary>Op instances of a run: the prefill ops, then every decode step's ops.</summary>
    public static long OpInstances(Workload workload) => checked(workload.Prefill.Count + workload.DecodeSteps * workload.Decode.Count);

    /// <summary>The op of each op instance reached so far, worked out from its index rather than stored (a long run has millions).</summary>
    private sealed class InstanceOps(InstanceStream stream) : IReadOnlyList<TraceOp>
    {
        public int Count => stream.Reached;

        public TraceOp this[int index] => (uint)index < (uint)Count ? stream.OpOf(index) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<TraceOp> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
