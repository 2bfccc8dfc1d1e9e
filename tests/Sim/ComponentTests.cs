using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Stats;
using HwSim.Sim.Time;

namespace HwSim.Tests.Sim;

public class ComponentTests
{
    private sealed class Ticker(Simulator simulator, string name, ClockDomain clock, long ticks, int priority, List<(long, string)> log)
        : Component(simulator, name, clock)
    {
        public void Start() => OnWake(0);

        protected override void OnWake(long tag)
        {
            log.Add((Simulator.NowPs, Name));
            if (tag < ticks) WakeAfterCycles(1, tag + 1, priority);
        }
    }

    [Fact]
    public void TwoClockDomainsInterleaveTheirEdgesInTimeOrder()
    {
        var slow = new ClockDomain("slow", 700_000_000);
        var fast = new ClockDomain("fast", 1_000_000_000);
        var simulator = new Simulator();
        var log = new List<(long, string)>();
        new Ticker(simulator, "slow", slow, 700, priority: 0, log).Start();
        new Ticker(simulator, "fast", fast, 1000, priority: 1, log).Start();
        simulator.Run();

        var expected = Enumerable.Range(0, 701).Select(n => (slow.EdgeTimePs(n), "slow", 0))
            .Concat(Enumerable.Range(0, 1001).Select(n => (fast.EdgeTimePs(n), "fast", 1)))
            .OrderBy(e => e.Item1).ThenBy(e => e.Item3)
            .Select(e => (e.Item1, e.Item2)).ToList();
        Assert.Equal(expected, log);
        // Edges coincide every 10 ns (7 slow cycles, 10 fast); the tie goes to the lower priority value.
        Assert.Equal((10_000L, "slow"), log[log.IndexOf((10_000L, "fast")) - 1]);
    }

    private sealed class Echo : Component
    {
        public Echo(Simulator simulator, string name, ClockDomain clock) : base(simulator, name, clock)
        {
            Input = AddInPort<int>("in", message => Received.Add((Simulator.NowPs, message)));
            Output = AddOutPort<int>("out");
        }

        public InPort<int> Input { get; }
        public OutPort<int> Output { get; }
        public List<(long TimePs, int Message)> Received { get; } = [];
    }

    [Fact]
    public void LinksDeliverInOrderAfterTheirLatency()
    {
        var clock = new ClockDomain("c", 1_000_000_000);
        var simulator = new Simulator();
        var a = new Echo(simulator, "a", clock);
        var b = new Echo(simulator, "b", clock);
        Link<int>.Connect(a.Output, b.Input, latencyPs: 2_500);
        for (int i = 0; i < 5; i++) a.Output.Send(i);
        simulator.Run();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (2_500L, i)), b.Received);
        Assert.Equal(5, b.Input.MessagesReceived);
    }

    [Fact]
    public void CycleLatencyLinksArriveOnClockEdges()
    {
        var clock = new ClockDomain("c", 700_000_000);
        var simulator = new Simulator();
        var a = new Echo(simulator, "a", clock);
        var b = new Echo(simulator, "b", clock);
        Link<int>.ConnectCycles(a.Output, b.Input, latencyCycles: 3, clock);
        a.Output.Send(42);
        simulator.Run();
        Assert.Equal([(clock.EdgeTimePs(3), 42)], b.Received);
    }

    [Fact]
    public void PortsConnectOnceAndNamesAreUnique()
    {
        var clock = new ClockDomain("c", 1_000_000_000);
        var simulator = new Simulator();
        var a = new Echo(simulator, "a", clock);
        var b = new Echo(simulator, "b", clock);
        Link<int>.Connect(a.Output, b.Input, 1);
        Assert.Throws<InvalidOperationException>(() => Link<int>.Connect(a.Output, a.Input, 1));
        Assert.Throws<InvalidOperationException>(() => b.Output.Send(1));
        Assert.Throws<ArgumentException>(() => new Echo(simulator, "a", clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => Link<int>.Connect(b.Output, a.Input, 0));
        Assert.Equal(["in", "out"], a.Ports.Keys.Order());
    }

    [Fact]
    public void HistogramCountsBinsAndOutliers()
    {
        var histogram = new Histogram("h", low: 0, binWidth: 10, binCount: 3);
        foreach (var v in new long[] { -1, 0, 9, 10, 29, 30, 100 }) histogram.Add(v);
        var report = histogram.Report();
        Assert.Equal([2L, 1, 1], report.Bins);
        Assert.Equal(1, report.Underflow);
        Assert.Equal(2, report.Overflow);
        Assert.Equal((7L, 177L, -1L, 100L), (report.Count, report.Sum, report.Min, report.Max));
    }
}
