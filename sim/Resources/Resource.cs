using HwSim.Sim.Stats;

namespace HwSim.Sim.Resources;

/// <summary>
/// A capacity-limited resource with a first-come first-served wait queue, with the semantics of SimPy's
/// <c>Resource</c> (simpy.readthedocs.io, "Shared Resources"): a request is granted at once while fewer than
/// <see cref="Capacity"/> units are held, otherwise it queues; a release hands the unit straight to the oldest
/// queued request. Grants happen inside the call that frees the unit (no kernel event), so using a resource adds
/// nothing to the event count and keeps a run deterministic.
/// </summary>
/// <remarks>
/// Time is given by the caller as integer cycles of one clock, never decreasing between calls; the resource
/// integrates held units and queued requests over it exactly.
/// </remarks>
public sealed class Resource<TRequest>
{
    private readonly Queue<TRequest> waiting = new();
    private long lastCycle, heldUnitCycles, queuedCycles;

    public Resource(string name, int capacity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Name = name;
        Capacity = capacity;
    }

    public string Name { get; }
    public int Capacity { get; }
    public int InUse { get; private set; }
    public int Waiting => waiting.Count;

    /// <summary>Takes a unit if one is free; never queues.</summary>
    public bool TryAcquire(long nowCycle)
    {
        if (InUse >= Capacity) return false;
        Advance(nowCycle);
        InUse++;
        return true;
    }

    /// <summary>Takes a unit if one is free (true); otherwise queues <paramref name="request"/> (false).</summary>
    public bool Request(long nowCycle, TRequest request)
    {
        if (TryAcquire(nowCycle)) return true;
        Advance(nowCycle);
        waiting.Enqueue(request);
        return false;
    }

    /// <summary>
    /// Frees a unit. If a request is queued, the unit passes to the oldest one, which comes back in
    /// <paramref name="granted"/> (true); the caller serves it now.
    /// </summary>
    public bool Release(long nowCycle, out TRequest granted)
    {
        if (InUse == 0) throw new InvalidOperationException($"resource '{Name}' released more often than acquired");
        Advance(nowCycle);
        if (waiting.TryDequeue(out granted!)) return true;
        InUse--;
        return false;
    }

    /// <summary>The cycle up to which held and queued time is integrated.</summary>
    public long LastCycle => lastCycle;

    /// <summary>Unit-cycles held up to <see cref="LastCycle"/>.</summary>
    public long HeldUnitCycles => heldUnitCycles;

    /// <summary>Request-cycles queued up to <see cref="LastCycle"/>.</summary>
    public long QueuedCycles => queuedCycles;

    /// <summary>The queued requests, oldest first.</summary>
    public IEnumerable<TRequest> WaitingRequests => waiting;

    /// <summary>
    /// Moves the resource <paramref name="cycles"/> ahead as if it had held <paramref name="heldUnitCycles"/> more
    /// unit-cycles and queued <paramref name="queuedCycles"/> more request-cycles in that time and ended with the same
    /// units in use; each queued request becomes <paramref name="remap"/>(request), in the same order. For a caller
    /// that knows the resource's future repeats (it skips the repetitions instead of running them).
    /// </summary>
    public void SkipAhead(long cycles, long heldUnitCycles, long queuedCycles, Func<TRequest, TRequest> remap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cycles);
        lastCycle = checked(lastCycle + cycles);
        this.heldUnitCycles = checked(this.heldUnitCycles + heldUnitCycles);
        this.queuedCycles = checked(this.queuedCycles + queuedCycles);
        int queued = waiting.Count;
        for (int i = 0; i < queued; i++) waiting.Enqueue(remap(waiting.Dequeue()));
    }

    private void Advance(long nowCycle)
    {
        long elapsed = nowCycle - lastCycle;
        if (elapsed == 0) return;
        if (elapsed < 0) throw new InvalidOperationException($"resource '{Name}': time went back from cycle {lastCycle} to {nowCycle}");
        heldUnitCycles += InUse * elapsed;
        queuedCycles += waiting.Count * elapsed;
        lastCycle = nowCycle;
    }

    /// <summary>Held unit-cycles are busy, free ones idle, queued request-cycles are reported as queued.</summary>
    public UnitActivityReport Report(long endCycle)
    {
        Advance(Math.Max(endCycle, lastCycle));
        long total = checked(Capacity * lastCycle);
        return new UnitActivityReport(Name, Capacity, heldUnitCycles, 0, total - heldUnitCycles, queuedCycles);
    }
}
