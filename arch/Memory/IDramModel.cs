using HwSim.Sim.Stats;

namespace HwSim.Arch.Memory;

/// <summary>
/// One DMA transfer as the DRAM sees it: <see cref="Bytes"/> from <see cref="Address"/> on, sequential, issued as
/// bursts of <see cref="BurstBytes"/> (the last one shorter when the size is not a multiple).
/// </summary>
public readonly record struct DramRequest(long Address, long Bytes, long BurstBytes, bool Write);

/// <summary>
/// Data on the DRAM's bus, for a timeline: on track <see cref="Track"/> (an index into
/// <see cref="IDramModel.TraceTracks"/>), accelerator cycles [<see cref="StartCycle"/>, <see cref="EndCycle"/>).
/// </summary>
public readonly record struct DramActivity(int Track, long StartCycle, long EndCycle, long Bytes, bool Write);

/// <summary>
/// Prices DRAM transfers. Requests arrive in non-decreasing accelerator cycles and are served first come, first
/// served; the model keeps whatever state it needs (channel occupancy, open rows) between them.
/// </summary>
public interface IDramModel
{
    /// <summary>Serves <paramref name="request"/>, issued at <paramref name="nowCycle"/>; returns the accelerator cycle its last byte arrives.</summary>
    long Serve(long nowCycle, in DramRequest request);

    /// <summary>
    /// The accelerator cycle at which the DRAM turned to the latest request: its issue, or the end of the data of
    /// the requests before it, whichever is later. Time before it the request spent queued behind them.
    /// </summary>
    long LastStartCycle { get; }

    /// <summary>
    /// Writes the state the model's future timing depends on and returns true, or returns false when that future
    /// depends on the requests' addresses (open rows): then the pipeline does not skip repetitions.
    /// </summary>
    bool Capture(PeriodicState state);

    /// <summary>Skips repetitions of the change captured by <see cref="Capture"/>.</summary>
    void Skip(PeriodicSkip skip);

    /// <summary>Data-bus activity up to the run's end (accelerator cycle <paramref name="endCycle"/>).</summary>
    UnitActivityReport Activity(long endCycle);

    /// <summary>The tracks a timeline shows the model's data transfers on: the channel, or one per bank.</summary>
    IReadOnlyList<string> TraceTracks { get; }

    /// <summary>Told of every data transfer on the bus as it is priced (null: nobody listens).</summary>
    Action<DramActivity>? Observer { get; set; }
}
