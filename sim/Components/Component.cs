using HwSim.Sim.Kernel;
using HwSim.Sim.Stats;
using HwSim.Sim.Time;

namespace HwSim.Sim.Components;

/// <summary>
/// A simulated block: named ports joined by links (components never call each other), a clock domain for
/// cycle-based waits, and named statistics. Models derive from it and react in <see cref="OnWake"/> and in their
/// in-port handlers.
/// </summary>
public abstract class Component : IEventHandler
{
    private readonly Dictionary<string, Port> ports = [];
    private readonly List<Counter> counters = [];
    private readonly List<Histogram> histograms = [];
    private ActivityTracker? activity;

    protected Component(Simulator simulator, string name, ClockDomain clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Simulator = simulator;
        Name = name;
        Clock = clock;
        TraceTrack = simulator.Register(this);
    }

    public string Name { get; }
    public Simulator Simulator { get; }
    public ClockDomain Clock { get; }
    public IReadOnlyDictionary<string, Port> Ports => ports;

    /// <summary>Track (thread id) of this component in the trace output.</summary>
    internal int TraceTrack { get; }

    /// <summary>Index of the latest edge of this component's clock at or before now.</summary>
    public long CurrentCycle => Clock.CycleAtOrBefore(Simulator.NowPs);

    /// <summary>Busy/idle/stall accounting; created on first use so that passive components report none.</summary>
    public ActivityTracker Activity => activity ??= new ActivityTracker(this);

    protected InPort<T> AddInPort<T>(string name, Action<T> onReceive) => AddPort(new InPort<T>(this, name, onReceive));

    protected OutPort<T> AddOutPort<T>(string name) => AddPort(new OutPort<T>(this, name));

    private TPort AddPort<TPort>(TPort port) where TPort : Port
    {
        if (!ports.TryAdd(port.Name, port))
            throw new ArgumentException($"component '{Name}' already has a port named '{port.Name}'");
        return port;
    }

    protected Counter AddCounter(string name)
    {
        var counter = new Counter(name);
        counters.Add(counter);
        return counter;
    }

    protected Histogram AddHistogram(string name, long low, long binWidth, int binCount)
    {
        var histogram = new Histogram(name, low, binWidth, binCount);
        histograms.Add(histogram);
        return histogram;
    }

    /// <summary>
    /// Wakes this component at the edge <paramref name="cycles"/> after the current one; <see cref="OnWake"/>
    /// receives <paramref name="tag"/>. From between two edges, the next edge counts as the first.
    /// </summary>
    protected EventId WakeAfterCycles(long cycles, long tag = 0, int priority = 0) =>
        Simulator.ScheduleAt(Clock.EdgeAfterCyclesPs(Simulator.NowPs, cycles), this, tag, priority);

    void IEventHandler.OnEvent(long argument) => OnWake(argument);

    /// <summary>Called for events this component scheduled on itself.</summary>
    protected virtual void OnWake(long tag) =>
        throw new InvalidOperationException($"component '{Name}' scheduled a wake-up it does not handle");

    internal ComponentReport Report(long endPs) => new(
        Name,
        Clock.Name,
        activity?.Report(endPs),
        counters.Select(c => new CounterReport(c.Name, c.Value)).ToList(),
        histograms.Select(h => h.Report()).ToList());
}
