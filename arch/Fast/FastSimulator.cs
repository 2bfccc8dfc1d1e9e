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
    private const int ProgressBatch = 1024;

    /// <param name="fullEvents">
    /// Simulate every tile event by event instead of skipping exact repetitions (<see cref="TilePipeline"/>); the
    /// results are the same, only slower.
    /// </param>
    /// <param name="progress">Told how many more op instances (<see cref="OpInstances"/> in all) the run has reached, now and then.</param>
    /// <param name="trace">Where to write a timeline of the run (<see cref="RunTrace"/>); finished when the run ends.</param>
    public static RunResult Run(AcceleratorSpec spec, Workload workload, RunFormats formats, bool fullEvents = false,
        Action<long>? progress = null, RunTrace? trace = null)
    {
        var tiler = new OpTiler(spec, formats);
        // Per-op state in arrays indexed by the op's position in the workload (prefill ops, then decode ops), and each
        // op's producers as positions (−1: not in the workload, so not on chip): a dictionary look-up per op instance
        // would cost more than tiling it.
        var ops = workload.AllOps.ToList();
        var position = new Dictionary<int, int>(ops.Count);
        for (int i = 0; i < ops.Count; i++) position.Add(ops[i].Id, i);
        var producers = ops.Select(op => op.DependsOn.Select(d => position.GetValueOrDefault(d, -1)).ToArray()).ToArray();
        var results = ops.Select(op => new OpResult(op)).ToArray();
        var onChip = new bool[ops.Count];
        var instances = Instances(workload).GetEnumerator();
        // Op instance i is prefill op i, then decode op (i − prefill ops) mod (decode ops) of each step in turn.
        int prefillOps = workload.Prefill.Count, decodeOps = Math.Max(1, workload.Decode.Count);
        int PositionOf(int instance) => instance < prefillOps ? instance : prefillOps + (instance - prefillOps) % decodeOps;
        var instanceOps = new InstanceOps(ops, PositionOf);
        int reached = 0;
        trace?.Bind(workload, instanceOps);
        long unreported = 0;

        TileBlock? Source()
        {
            // The pipeline asks for each op instance once, in order.
            if (!instances.MoveNext()) return null;
            // Reported in batches: a call per op instance would cost more than the tiling of small ops.
            if (progress is not null && ++unreported == ProgressBatch)
            {
                progress(unreported);
                unreported = 0;
            }
            var (at, kv) = instances.Current;
            var op = ops[at];
            // Activations come from DRAM unless every producer left its output in the activation buffer.
            bool inputs = producers[at].Length > 0;
            foreach (int producer in producers[at]) inputs &= producer >= 0 && onChip[producer];
            bool output = tiler.KeepsOutputOnChip(op, kv);
            onChip[at] = output;
            var result = results[at];
            result.Runs++;
            var tiles = tiler.Tile(op, kv, inputs, output, result);
            result.Tiles += tiles.TileCount;
            instanceOps.Count = ++reached;
            return new TileBlock(reached - 1, tiles);
        }

        var pipeline = new TilePipeline(spec, Source, (instance, cycles, compute, busy) =>
        {
            var result = results[PositionOf(instance)];
            result.Cycles += cycles;
            result.ComputeCycles += compute;
            result.BusyPeCycles += busy;
        }, fullEvents, trace);
        long total = pipeline.Run();
        trace?.Finish(total);
        if (progress is not null && unreported > 0) progress(unreported);
        return new RunResult(spec, formats, workload, results, total, pipeline.EventsProcessed,
            pipeline.Activity(total)) { EventsRun = pipeline.EventsRun };
    }

    /// <summary>Op instances of a run: the prefill ops, then every decode step's ops.</summary>
    public static long OpInstances(Workload workload) => checked(workload.Prefill.Count + workload.DecodeSteps * workload.Decode.Count);

    /// <summary>Op instances of a run as (position in <see cref="Workload.AllOps"/>, KV length): the prefill ops, then every decode step's ops.</summary>
    private static IEnumerable<(int Position, long Kv)> Instances(Workload workload)
    {
        for (int i = 0; i < workload.Prefill.Count; i++) yield return (i, 0);
        foreach (long kv in workload.DecodeKvLengths())
            for (int i = 0; i < workload.Decode.Count; i++) yield return (workload.Prefill.Count + i, kv);
    }

    /// <summary>The op of each op instance reached so far, worked out from its index rather than stored (a long run has millions).</summary>
    private sealed class InstanceOps(List<TraceOp> ops, Func<int, int> positionOf) : IReadOnlyList<TraceOp>
    {
        public int Count { get; set; }

        public TraceOp this[int index] => (uint)index < (uint)Count ? ops[positionOf(index)] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<TraceOp> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
