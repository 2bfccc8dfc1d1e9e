using HwSim.Sim.Components;
using HwSim.Sim.Stats;
using HwSim.Sim.Trace;

namespace HwSim.Sim.Kernel;

/// <summary>
/// The discrete-event kernel: a clock in integer picoseconds and a queue of events ordered by
/// (time, priority, insertion sequence).
/// </summary>
/// <remarks>
/// Causality rule: an event may not be scheduled before the event that is running (same time and a lower priority
/// value). Keys are therefore dequeued in strictly increasing order, which makes "has this event run yet" a key
/// comparison and lets <see cref="Cancel"/> answer exactly without tracking every pending event.
/// </remarks>
public sealed class Simulator
{
    private readonly PriorityQueue<ScheduledEvent, EventKey> queue = new();
    private readonly HashSet<long> cancelledSequences = [];
    private readonly List<Component> components = [];
    private long nextSequence;
    private EventKey current = new(0, int.MinValue, -1);
    private EventKey lastDequeued = new(0, int.MinValue, -1);

    /// <summary>Optional trace output; null (the default) disables tracing at the cost of one null check.</summary>
    public ChromeTraceWriter? Trace { get; }

    public Simulator(ChromeTraceWriter? trace = null) => Trace = trace;

    public long NowPs => current.TimePs;
    public int CurrentPriority => current.Priority;
    public long EventsProcessed { get; private set; }
    public long EventsCancelled { get; private set; }
    public int PendingEvents => queue.Count - cancelledSequences.Count;
    public IReadOnlyList<Component> Components => components;

    internal void Register(Component component)
    {
        if (components.Any(c => c.Name == component.Name))
            throw new ArgumentException($"a component named '{component.Name}' already exists", nameof(component));
        components.Add(component);
        Trace?.NameTrack(components.Count, component.Name);
    }

    internal int TrackOf(Component component) => components.IndexOf(component) + 1;

    public EventId Schedule(long delayPs, IEventHandler handler, long argument = 0, int priority = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayPs);
        return ScheduleAt(checked(NowPs + delayPs), handler, argument, priority);
    }

    public EventId ScheduleAt(long timePs, IEventHandler handler, long argument = 0, int priority = 0)
    {
        var key = new EventKey(timePs, priority, nextSequence);
        if (key.CompareTo(current) <= 0)
            throw new InvalidOperationException(
                $"event at {timePs} ps with priority {priority} would run before the current event " +
                $"({current.TimePs} ps, priority {current.Priority})");
        nextSequence++;
        queue.Enqueue(new ScheduledEvent(handler, argument), key);
        return new EventId(key);
    }

    /// <summary>Cancels a pending event. Returns false if it already ran or was already cancelled.</summary>
    public bool Cancel(EventId id)
    {
        if (id.Key.CompareTo(lastDequeued) <= 0 || id.Key.Sequence >= nextSequence) return false;
        if (!cancelledSequences.Add(id.Key.Sequence)) return false;
        EventsCancelled++;
        return true;
    }

    /// <summary>Runs the next pending event. Returns false when none is left.</summary>
    public bool Step() => RunNext(long.MaxValue);

    /// <summary>
    /// Runs events until none is left or the next one lies after <paramref name="untilPs"/>. If events remain,
    /// the clock then stands at <paramref name="untilPs"/>; if none remain, at the last event (the run is over).
    /// </summary>
    public void Run(long untilPs = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(untilPs);
        while (RunNext(untilPs))
        {
        }
        if (PendingEvents > 0 && untilPs > current.TimePs) current = new EventKey(untilPs, int.MinValue, -1);
    }

    private bool RunNext(long untilPs)
    {
        while (queue.TryPeek(out var scheduled, out var key) && key.TimePs <= untilPs)
        {
            queue.Dequeue();
            lastDequeued = key;
            if (cancelledSequences.Count > 0 && cancelledSequences.Remove(key.Sequence)) continue;
            current = key;
            EventsProcessed++;
            scheduled.Handler.OnEvent(scheduled.Argument);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Closes every component's accounting at the current time (open busy/stall intervals go to the trace) and
    /// collects the statistics.
    /// </summary>
    public SimulationResult Collect()
    {
        var reports = components.Select(c => c.Report(NowPs)).ToList();
        return new SimulationResult(NowPs, EventsProcessed, EventsCancelled, reports);
    }

    private readonly record struct ScheduledEvent(IEventHandler Handler, long Argument);
}
