using HwSim.Sim.Components;

namespace HwSim.Sim.Stats;

public enum ActivityState
{
    Idle,
    Busy,
    Stalled,
}

/// <summary>
/// Splits a component's time into idle, busy and stalled intervals. Cycles of an interval are counted as the
/// difference of the clock edges at or before its ends, so they are exact integers and sum to the elapsed cycles.
/// Busy and stalled intervals become complete events in the trace when tracing is on.
/// </summary>
public sealed class ActivityTracker
{
    private readonly Component owner;
    private readonly long[] picoseconds = new long[3];
    private readonly long[] cycles = new long[3];
    private long sincePs;

    internal ActivityTracker(Component owner) => this.owner = owner;

    public ActivityState State { get; private set; } = ActivityState.Idle;

    public void Set(ActivityState state)
    {
        if (state == State) return;
        long nowPs = owner.Simulator.NowPs;
        Close(nowPs);
        State = state;
        sincePs = nowPs;
    }

    private void Close(long nowPs)
    {
        picoseconds[(int)State] += nowPs - sincePs;
        cycles[(int)State] += owner.Clock.CycleAtOrBefore(nowPs) - owner.Clock.CycleAtOrBefore(sincePs);
        var trace = owner.Simulator.Trace;
        if (trace is not null && State != ActivityState.Idle && nowPs > sincePs)
            trace.Complete(owner.TraceTrack, State == ActivityState.Busy ? "busy" : "stall", "activity", sincePs, nowPs - sincePs);
    }

    /// <summary>Closes the open interval at <paramref name="endPs"/> and reports the totals.</summary>
    internal ActivityReport Report(long endPs)
    {
        Close(endPs);
        sincePs = endPs;
        long Ps(ActivityState s) => picoseconds[(int)s];
        long Cycles(ActivityState s) => cycles[(int)s];
        return new ActivityReport(
            Cycles(ActivityState.Busy), Cycles(ActivityState.Idle), Cycles(ActivityState.Stalled),
            Ps(ActivityState.Busy), Ps(ActivityState.Idle), Ps(ActivityState.Stalled));
    }
}
