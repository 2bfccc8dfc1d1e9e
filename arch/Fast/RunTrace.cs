using HwSim.Arch.Memory;
using HwSim.Sim.Time;
using HwSim.Sim.Trace;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// A timeline of a fast run in Chrome trace-event JSON (<see cref="ChromeTraceWriter"/>), written while the run goes:
/// one track for the array, one for the vector unit, one per DMA engine and one for the DRAM channel (one per bank
/// with an address-aware DRAM model). Compute and DMA slices are named by op and carry its layer, phase, decode step
/// (decode only), tile (index within the op instance; loads and computes), bytes and cycles as integer arguments;
/// DRAM slices are named read or write with their bytes and cycles. Counters: buffer slots in use and the bytes they
/// hold (one counter, two series), and the DRAM data rate (bytes per accelerator cycle while a transfer is on the bus, 0 between).
/// Timestamps are the accelerator clock's edge times (exact picoseconds, written as microseconds); cycles stay exact
/// in the arguments.
/// </summary>
/// <remarks>
/// Only events that overlap cycles [<paramref name="startCycle"/>, <paramref name="endCycle"/>) are written, and with
/// <paramref name="decodeSteps"/> only up to the first tile of decode step <paramref name="decodeSteps"/> (so prefill
/// and the first N steps). Until the traced range is over the pipeline runs event by event (it skips no repetitions,
/// so every traced tile appears); after it, it skips as usual. Memory stays bounded: events go to the writer as they
/// happen, and the writer streams.
/// </remarks>
public sealed class RunTrace(ChromeTraceWriter writer, long startCycle = 0, long endCycle = long.MaxValue, long? decodeSteps = null)
{
    private const int ArrayTrack = 1, VectorTrack = 2, DmaTrack = 10, DramTrack = 1000;

    private ClockDomain? clock;
    private Workload? workload;
    private IReadOnlyList<TraceOp>? instances;
    private long end = endCycle;
    private long dramEnd = long.MinValue;
    private double lastBandwidth = double.NaN;

    /// <summary>Slices written (metadata and counters included).</summary>
    public long EventsWritten => writer.EventsWritten;

    /// <summary>The run's workload and the op of each op instance, in stream order (the list grows as the run goes).</summary>
    internal void Bind(Workload run, IReadOnlyList<TraceOp> instanceOps)
    {
        workload = run;
        instances = instanceOps;
    }

    /// <summary>Names the tracks.</summary>
    internal void Begin(ClockDomain runClock, int dmaEngines, IReadOnlyList<string> dramTracks)
    {
        clock = runClock;
        writer.NameTrack(ArrayTrack, "array");
        writer.SortTrack(ArrayTrack, 0);
        writer.NameTrack(VectorTrack, "vector unit");
        writer.SortTrack(VectorTrack, 1);
        for (int e = 0; e < dmaEngines; e++)
        {
            writer.NameTrack(DmaTrack + e, $"DMA engine {e}");
            writer.SortTrack(DmaTrack + e, 2 + e);
        }
        for (int t = 0; t < dramTracks.Count; t++)
        {
            writer.NameTrack(DramTrack + t, dramTracks[t]);
            writer.SortTrack(DramTrack + t, 2 + dmaEngines + t);
        }
    }

    /// <summary>True once nothing at or after <paramref name="nowCycle"/> can be traced (the pipeline may skip again).</summary>
    internal bool Done(long nowCycle) => nowCycle >= end;

    /// <summary>Tile <paramref name="tile"/> of op instance <paramref name="instance"/> computes from <paramref name="startCycle"/> on.</summary>
    internal void Compute(int instance, int tile, long computeStart, long cycles, long loadBytes)
    {
        long step = Step(instance);
        if (decodeSteps is { } limit && step >= limit && computeStart < end) end = computeStart;
        if (!Overlaps(computeStart, computeStart + cycles)) return;
        var op = instances![instance];
        Slice(op.Gemm is null ? VectorTrack : ArrayTrack, op, "compute", computeStart, cycles, step, tile, loadBytes);
    }

    /// <summary>A DMA transfer of op instance <paramref name="instance"/> ran on engine <paramref name="engine"/>.</summary>
    internal void Transfer(int engine, int instance, int tile, long transferStart, long transferEnd, long bytes, bool write)
    {
        if (!Overlaps(transferStart, transferEnd)) return;
        Slice(DmaTrack + engine, instances![instance], write ? "store" : "load", transferStart, transferEnd - transferStart, Step(instance), tile, bytes);
    }

    /// <summary>A data transfer on the DRAM's bus.</summary>
    internal void Dram(in DramActivity activity)
    {
        if (!Overlaps(activity.StartCycle, activity.EndCycle)) return;
        long cycles = activity.EndCycle - activity.StartCycle;
        writer.Complete(DramTrack + activity.Track, activity.Write ? "write" : "read", "dram", Ps(activity.StartCycle), Ps(activity.EndCycle) - Ps(activity.StartCycle),
            [("bytes", activity.Bytes), ("cycles", cycles)], []);
        if (dramEnd != long.MinValue && activity.StartCycle > dramEnd) Bandwidth(dramEnd, 0);
        if (cycles > 0) Bandwidth(activity.StartCycle, (double)activity.Bytes / cycles);
        dramEnd = Math.Max(dramEnd, activity.EndCycle);
    }

    /// <summary>Buffer occupancy changed at <paramref name="cycle"/>.</summary>
    internal void Slots(long cycle, int inUse, long bytesHeld)
    {
        if (cycle < startCycle || cycle >= end) return;
        writer.Counter("buffer", Ps(cycle), [("slots in use", inUse), ("bytes held", bytesHeld)]);
    }

    /// <summary>Ends the trace at the run's last cycle.</summary>
    internal void Finish(long lastCycle)
    {
        if (dramEnd != long.MinValue && dramEnd < end) Bandwidth(dramEnd, 0);
        writer.Finish(Ps(lastCycle));
    }

    /// <summary>The DRAM data rate from <paramref name="cycle"/> on; written only when it changes.</summary>
    private void Bandwidth(long cycle, double bytesPerCycle)
    {
        if (bytesPerCycle == lastBandwidth) return;
        lastBandwidth = bytesPerCycle;
        writer.Counter("DRAM bandwidth", "bytes per cycle", Ps(Math.Max(cycle, startCycle)), bytesPerCycle);
    }

    private bool Overlaps(long from, long to) => from < end && (to > startCycle || (to == from && from >= startCycle));

    /// <summary>The decode step of an op instance, or −1 in prefill.</summary>
    private long Step(int instance)
    {
        int prefill = workload!.Prefill.Count;
        return instance < prefill ? -1 : (instance - prefill) / workload.Decode.Count;
    }

    private void Slice(int track, TraceOp op, string category, long from, long cycles, long step, int tile, long bytes)
    {
        // Prefill ops have no decode step; stores carry no tile index (an op's stores go out in its tiles' order).
        Span<(string Key, long Value)> args = [("layer", op.Layer), default, default, default, default];
        int count = 1;
        if (step >= 0) args[count++] = ("step", step);
        if (tile >= 0) args[count++] = ("tile", tile);
        args[count++] = ("bytes", bytes);
        args[count++] = ("cycles", cycles);
        writer.Complete(track, op.Name, category, Ps(from), Ps(from + cycles) - Ps(from), args[..count], [("phase", PhaseName(op.Phase))]);
    }

    private static string PhaseName(Phase phase) => phase switch
    {
        Phase.Prefill => "prefill",
        Phase.Decode => "decode",
        Phase.Standalone => "standalone",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    private long Ps(long cycle) => clock!.EdgeTimePs(cycle);
}
