namespace HwSim.Sim.Kernel;

/// <summary>
/// Total order of scheduled events: time, then priority (lower runs first), then insertion sequence. The sequence
/// is unique, so no two events compare equal and simultaneous events always run in the same order.
/// </summary>
public readonly record struct EventKey(long TimePs, int Priority, long Sequence) : IComparable<EventKey>
{
    public int CompareTo(EventKey other)
    {
        if (TimePs != other.TimePs) return TimePs < other.TimePs ? -1 : 1;
        if (Priority != other.Priority) return Priority < other.Priority ? -1 : 1;
        return Sequence.CompareTo(other.Sequence);
    }
}

/// <summary>Identifies a scheduled event, for cancellation.</summary>
public readonly record struct EventId(EventKey Key);

/// <summary>A scheduled event that has not run yet (<see cref="Simulator.CopyPending"/>).</summary>
public readonly record struct PendingEvent(long TimePs, int Priority, long Sequence, IEventHandler Handler, long Argument);
