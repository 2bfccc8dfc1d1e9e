using HwSim.Sim.Kernel;
using HwSim.Sim.Stats;
using HwSim.Sim.Time;

namespace HwSim.Sim.Components;

/// <summary>
/// A FIFO of fixed capacity with back-pressure: a push into a full FIFO is refused (counted as a stall) and the
/// producer may ask to be woken when space frees; a consumer may likewise wait for data. Wake-ups run at the time of
/// the freeing pop or filling push, after the event that caused them.
/// </summary>
public sealed class BoundedFifo<T> : Component
{
    private readonly Queue<T> items;
    private readonly Counter pushes;
    private readonly Counter pops;
    private readonly Counter refusedPushes;
    private readonly Histogram occupancyAfterPush;
    private Waiter spaceWaiter;
    private Waiter dataWaiter;

    public BoundedFifo(Simulator simulator, string name, ClockDomain clock, int capacity) : base(simulator, name, clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        items = new Queue<T>(capacity);
        pushes = AddCounter("pushes");
        pops = AddCounter("pops");
        refusedPushes = AddCounter("refused_pushes");
        occupancyAfterPush = AddHistogram("occupancy_after_push", 1, 1, capacity);
    }

    public int Capacity { get; }
    public int Count => items.Count;
    public bool IsFull => items.Count == Capacity;
    public bool IsEmpty => items.Count == 0;
    public long RefusedPushes => refusedPushes.Value;

    public bool TryPush(T item)
    {
        if (IsFull)
        {
            refusedPushes.Increment();
            return false;
        }
        items.Enqueue(item);
        pushes.Increment();
        occupancyAfterPush.Add(items.Count);
        Release(ref dataWaiter);
        return true;
    }

    public bool TryPop(out T item)
    {
        if (!items.TryDequeue(out item!)) return false;
        pops.Increment();
        Release(ref spaceWaiter);
        return true;
    }

    /// <summary>Wakes <paramref name="handler"/> once, when the FIFO next has room (now, if it has).</summary>
    public void NotifyWhenNotFull(IEventHandler handler, long tag) => Wait(ref spaceWaiter, handler, tag, !IsFull);

    /// <summary>Wakes <paramref name="handler"/> once, when the FIFO next holds an item (now, if it does).</summary>
    public void NotifyWhenNotEmpty(IEventHandler handler, long tag) => Wait(ref dataWaiter, handler, tag, !IsEmpty);

    private void Wait(ref Waiter waiter, IEventHandler handler, long tag, bool readyNow)
    {
        if (waiter.Handler is not null && !ReferenceEquals(waiter.Handler, handler))
            throw new InvalidOperationException($"FIFO '{Name}' already has a different waiter on that side");
        waiter = new Waiter(handler, tag);
        if (readyNow) Release(ref waiter);
    }

    private void Release(ref Waiter waiter)
    {
        if (waiter.Handler is null) return;
        var released = waiter;
        waiter = default;
        Simulator.ScheduleAt(Simulator.NowPs, released.Handler, released.Tag, Simulator.CurrentPriority);
    }

    private record struct Waiter(IEventHandler? Handler, long Tag);
}
