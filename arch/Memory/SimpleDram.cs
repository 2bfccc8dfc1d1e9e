using HwSim.Arch.Spec;
using HwSim.Sim.Stats;

namespace HwSim.Arch.Memory;

/// <summary>
/// The "simple" DRAM model (the presets' model): one channel that moves <see cref="BytesPerCycle"/> bytes per accelerator
/// cycle, a fixed <see cref="LatencyCycles"/> per transfer, and optionally a row-miss penalty for every row buffer
/// of <see cref="RowBufferBytes"/> a transfer opens (each transfer starts on a row boundary).
/// </summary>
[ModelName("simple", 0, "bytes per cycle, latency per transfer, optional row-miss penalty per row buffer opened")]
public sealed record SimpleDramSpec(
    int BytesPerCycle,
    int LatencyCycles = 0,
    long RowBufferBytes = 0,
    int RowMissPenaltyCycles = 0) : DramSpec
{
    public override string? Validate()
    {
        if (BytesPerCycle < 1) return $"dram.bytesPerCycle: must be at least 1 (got {BytesPerCycle})";
        if (LatencyCycles < 0) return $"dram.latencyCycles: must not be negative (got {LatencyCycles})";
        if (RowBufferBytes < 0) return $"dram.rowBufferBytes: must not be negative (got {RowBufferBytes})";
        if (RowMissPenaltyCycles < 0) return $"dram.rowMissPenaltyCycles: must not be negative (got {RowMissPenaltyCycles})";
        if ((RowBufferBytes > 0) != (RowMissPenaltyCycles > 0))
            return "dram.rowBufferBytes: row buffers need both rowBufferBytes and rowMissPenaltyCycles";
        return null;
    }

    public override IDramModel CreateModel(long acceleratorClockHz) => new SimpleDram(this);

    public override IReadOnlyList<DramParameter> HeaderParameters() =>
    [
        new("BYTES_PER_CYCLE", BytesPerCycle, "bytes/cycle", "peak DRAM bandwidth per core cycle"),
        new("INTERFACE_BITS", 8L * BytesPerCycle, "bits", "DRAM data interface width per core cycle"),
        new("LATENCY_CYCLES", LatencyCycles, "cycles", "access latency per transfer"),
        new("ROW_BUFFER_BYTES", RowBufferBytes, "bytes", "row buffer size (0: not modeled)", Wide: true),
        new("ROW_MISS_PENALTY_CYCLES", RowMissPenaltyCycles, "cycles", "extra cycles for a transfer that opens a row"),
    ];
}

/// <summary>
/// A byte-rate channel: bursts of one transfer follow each other without gaps, so the burst size does not change
/// the time (the model has no access granularity). A transfer occupies the channel from the later of its issue and
/// the channel becoming free for ceil(bytes / bytesPerCycle) cycles plus the row-miss penalty per row buffer it
/// opens, in request order, and completes <c>latencyCycles</c> after that. Channel cycles moving data are busy,
/// row-miss cycles stalled.
/// </summary>
public sealed class SimpleDram(SimpleDramSpec spec) : IDramModel
{
    private long channelFreeCycle, busyCycles, stallCycles;

    public long LastStartCycle { get; private set; }

    public IReadOnlyList<string> TraceTracks { get; } = ["DRAM channel"];

    public Action<DramActivity>? Observer { get; set; }

    public long Serve(long nowCycle, in DramRequest request)
    {
        long bytes = request.Bytes;
        long start = Math.Max(nowCycle, channelFreeCycle);
        long busy = (bytes + spec.BytesPerCycle - 1) / spec.BytesPerCycle;
        long penalty = spec.RowBufferBytes > 0 ? (bytes + spec.RowBufferBytes - 1) / spec.RowBufferBytes * spec.RowMissPenaltyCycles : 0;
        LastStartCycle = start;
        busyCycles += busy;
        stallCycles += penalty;
        channelFreeCycle = start + busy + penalty;
        Observer?.Invoke(new DramActivity(0, start, channelFreeCycle, bytes, request.Write));
        return channelFreeCycle + spec.LatencyCycles;
    }

    /// <summary>Addresses do not matter: the channel's free cycle and the counters are the whole state.</summary>
    public bool Capture(PeriodicState state)
    {
        state.Cycle(channelFreeCycle);
        state.Counter(busyCycles);
        state.Counter(stallCycles);
        return true;
    }

    public void Skip(PeriodicSkip skip)
    {
        channelFreeCycle += skip.Next();
        busyCycles += skip.Next();
        stallCycles += skip.Next();
    }

    public UnitActivityReport Activity(long endCycle)
    {
        long end = Math.Max(endCycle, channelFreeCycle);
        return new UnitActivityReport("dram", 1, busyCycles, stallCycles, end - busyCycles - stallCycles);
    }
}
