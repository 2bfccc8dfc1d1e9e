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
    private readonly EventQueue queue = new();
    private readonly HashSet<long> cancelledSequences = [];
    private readonly List<Component> components = [];
    private readonly List<(EventQueue.Entry Entry, IEventHandler Handler)> pendingScratch = [];
    private readonly HashSet<string> componentNames = [];
    private long nextSequence;
    private long currentTimePs;
    private ulong currentOrder;
    private long lastDequeuedTimePs;
    private ulong lastDequeuedOrder;

    /// <summary>Optional trace output; null (the default) disables tracing at the cost of one null check.</summary>
    public ChromeTraceWriter? Trace { get; }

    public Simulator(ChromeTraceWriter? trace = null) => Trace = trace;

    public long NowPs => currentTimePs;

    /// <summary>Priority of the running event (or the lowest possible value outside any event).</summary>
    public int CurrentPriority => EventQueue.PriorityOf(currentOrder);

    public long EventsProcessed { get; private set; }
    public long EventsCancelled { get; private set; }
    public int PendingEvents => queue.Count - cancelledSequences.Count;
    public IReadOnlyList<Component> Components => components;

    /// <summary>Adds a component under a unique name; returns its trace track (1-based registration index).</summary>
    internal int Register(Component component)
    {
        if (!componentNames.Add(component.Name))
            throw new ArgumentException($"a component named '{component.Name}' already exists", nameof(component));
        components.Add(component);
        Trace?.NameTrack(components.Count, component.Name);
        return components.Count;
    }

    public EventId Schedule(long delayPs, IEventHandler handler, long argument = 0, int priority = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayPs);
        return ScheduleAt(checked(NowPs + delayPs), handler, argument, priority);
    }

    /// <summary>
    /// Schedules <paramref name="handler"/> at <paramref name="timePs"/>; lower <paramref name="priority"/> values
    /// run first among simultaneous events (range -32768..32767), then earlier insertions.
    /// </summary>
    public EventId ScheduleAt(long timePs, IEventHandler handler, long argument = 0, int priority = 0)
    {
        if (priority < EventQueue.MinPriority || priority > EventQueue.MaxPriority)
            throw new ArgumentOutOfRangeException(nameof(priority), priority,
                $"event priority must be in {EventQueue.MinPriority}..{EventQueue.MaxPriority}");
        if (nextSequence > EventQueue.MaxSequence)
            throw new InvalidOperationException($"more than {EventQueue.MaxSequence} events scheduled in one run");
        ulong order = EventQueue.Order(priority, nextSequence);
        if (EventQueue.Precedes(timePs, order, currentTimePs, currentOrder))
            throw new InvalidOperationException(
                $"event at {timePs} ps with priority {priority} would run before the current event " +
                $"({currentTimePs} ps, priority {CurrentPriority})");
        queue.Enqueue(timePs, order, handler, argument);
        return new EventId(new EventKey(timePs, priority, nextSequence++));
    }

    /// <summary>Cancels a pending event. Returns false if it already ran or was already cancelled.</summary>
    public bool Cancel(EventId id)
    {
        var key = id.Key;
        if (key.Sequence < 0 || key.Sequence >= nextSequence) return false;
        ulong order = EventQueue.Order(key.Priority, key.Sequence);
        bool dequeued = EventQueue.Precedes(key.TimePs, order, lastDequeuedTimePs, lastDequeuedOrder, orEqual: true);
        if (dequeued || !cancelledSequences.Add(key.Sequence)) return false;
        EventsCancelled++;
        return true;
    }

    /// <summary>The pending events (cancelled ones left out), appended to <paramref name="into"/> in the order they will run.</summary>
    public void CopyPending(List<PendingEvent> into)
    {
        var entries = pendingScratch;
        entries.Clear();
        queue.CopyOrdered(entries);
        foreach (var (entry, handler) in entries)
        {
            long sequence = EventQueue.SequenceOf(entry.Order);
            if (cancelledSequences.Contains(sequence)) continue;
            into.Add(new PendingEvent(entry.TimePs, EventQueue.PriorityOf(entry.Order), sequence, handler, entry.Argument));
        }
    }

    /// <summary>
    /// Moves every pending event to <paramref name="map"/>(time, argument): a new time (not earlier than its old one) and
    /// argument. Priorities and insertion sequences stay, so the map must keep the events' time order (a strictly
    /// increasing function of time does) for them to run in the same order as before. Lets a model that knows its
    /// future repeats skip ahead without running it. Ids issued before the shift keep the old times, so those events
    /// can no longer be cancelled reliably.
    /// </summary>
    public void ShiftPending(Func<long, long, (long TimePs, long Argument)> map)
    {
        queue.Remap(map);
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
        if (PendingEvents > 0 && untilPs > currentTimePs)
        {
            currentTimePs = untilPs;
            currentOrder = 0;
        }
    }

    private bool RunNext(long untilPs)
    {
        while (queue.TryPeekTime(out long timePs) && timePs <= untilPs)
        {
            var scheduled = queue.Dequeue(out var handler);
            lastDequeuedTimePs = timePs;
            lastDequeuedOrder = scheduled.Order;
            if (cancelledSequences.Count > 0 && cancelledSequences.Remove(EventQueue.SequenceOf(scheduled.Order))) continue;
            currentTimePs = timePs;
            currentOrder = scheduled.Order;
            EventsProcessed++;
            handler.OnEvent(scheduled.Argument);
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
}
