using HwSim.Sim.Kernel;
using HwSim.Sim.Time;

namespace HwSim.Sim.Components;

/// <summary>
/// A point-to-point connection from an out-port to an in-port with a fixed latency (SST-style). Arrival times never
/// decrease, so in-flight messages are held in order in the link itself and each costs one kernel event and no
/// allocation.
/// </summary>
public sealed class Link<T> : IEventHandler
{
    private readonly Queue<T> inFlight = new();
    private readonly InPort<T> target;
    private readonly long latencyPs;
    private readonly long latencyCycles;
    private readonly ClockDomain? latencyClock;
    private readonly int priority;

    private Link(OutPort<T> source, InPort<T> target, long latencyPs, long latencyCycles, ClockDomain? clock, int priority)
    {
        if (source.IsConnected) throw new InvalidOperationException($"port '{source.Path}' is already connected");
        if (target.IsConnected) throw new InvalidOperationException($"port '{target.Path}' is already connected");
        if (!ReferenceEquals(source.Owner.Simulator, target.Owner.Simulator))
            throw new InvalidOperationException($"ports '{source.Path}' and '{target.Path}' belong to different simulators");
        this.target = target;
        this.latencyPs = latencyPs;
        this.latencyCycles = latencyCycles;
        latencyClock = clock;
        this.priority = priority;
        Source = source;
        source.Link = this;
        target.HasLink = true;
    }

    public OutPort<T> Source { get; }
    public InPort<T> Target => target;
    public int InFlight => inFlight.Count;

    /// <summary>Connects with a latency in picoseconds (at least 1: a link never delivers in the sending event).</summary>
    public static Link<T> Connect(OutPort<T> source, InPort<T> target, long latencyPs, int priority = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latencyPs, 1);
        return new Link<T>(source, target, latencyPs, 0, null, priority);
    }

    /// <summary>
    /// Connects with a latency of whole cycles of <paramref name="clock"/>: a message sent at time t arrives at the
    /// edge <paramref name="latencyCycles"/> after the edge at or before t.
    /// </summary>
    public static Link<T> ConnectCycles(OutPort<T> source, InPort<T> target, long latencyCycles, ClockDomain clock, int priority = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latencyCycles, 1);
        return new Link<T>(source, target, 0, latencyCycles, clock, priority);
    }

    internal void Carry(T message)
    {
        var simulator = target.Owner.Simulator;
        long arrivalPs = latencyClock is null
            ? checked(simulator.NowPs + latencyPs)
            : latencyClock.EdgeAfterCyclesPs(simulator.NowPs, latencyCycles);
        inFlight.Enqueue(message);
        simulator.ScheduleAt(arrivalPs, this, 0, priority);
    }

    void IEventHandler.OnEvent(long argument) => target.Deliver(inFlight.Dequeue());
}
