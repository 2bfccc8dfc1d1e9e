using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Resources;
using HwSim.Sim.Stats;
using HwSim.Sim.Time;

namespace HwSim.Tests.Sim;

/// <summary>
/// Argument checks, overflow checks, error texts and report arithmetic of the kernel's building blocks: each case
/// pins a behaviour that a Stryker.NET mutant of sim/ changed without any test noticing (tests/MUTATION.md).
/// </summary>
public class GuardAndReportTests
{
    private sealed class Node : Component
    {
        public Node(Simulator simulator, string name) : base(simulator, name, new ClockDomain("core", 1_000_000_000))
        {
            Out = AddOutPort<int>("out");
            In = AddInPort<int>("in", Received.Add);
        }

        public OutPort<int> Out { get; }
        public InPort<int> In { get; }
        public List<int> Received { get; } = [];
    }

    private sealed class Nothing : IEventHandler
    {
        public void OnEvent(long argument) { }
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var simulator = new Simulator();
        var a = new Node(simulator, "a");
        var b = new Node(simulator, "b");
        Assert.ThrowsAny<ArgumentException>(() => new Node(simulator, " "));
        Assert.Throws<ArgumentOutOfRangeException>(() => Link<int>.ConnectCycles(a.Out, b.In, 0, a.Clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.Schedule(-1, new Nothing()));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.Run(-1));
        Assert.ThrowsAny<ArgumentException>(() => new Resource<int>(" ", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resource<int>("r", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resource<int>("r", 1).SkipAhead(-1, 0, 0, x => x));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Histogram("h", 0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Histogram("h", 0, 1, 0));
        var clock = new ClockDomain("c", 1_000_000_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CycleAtOrBefore(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.EdgeAfterCyclesPs(0, -1));
    }

    [Fact]
    public void PrioritiesOutsideTheirRangeAreRejectedAndTheBoundsAccepted()
    {
        // Simulator.ScheduleAt: priorities -32768 .. 32767.
        var simulator = new Simulator();
        simulator.ScheduleAt(0, new Nothing(), priority: short.MinValue);
        simulator.ScheduleAt(0, new Nothing(), priority: short.MaxValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.ScheduleAt(0, new Nothing(), priority: short.MinValue - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.ScheduleAt(0, new Nothing(), priority: short.MaxValue + 1));
        Assert.Equal(2, simulator.PendingEvents);
    }

    [Fact]
    public void TimeArithmeticOverflowsLoudly()
    {
        var simulator = new Simulator();
        simulator.ScheduleAt(long.MaxValue - 5, new Nothing());
        simulator.Step();
        Assert.Throws<OverflowException>(() => simulator.Schedule(10, new Nothing()));
        var resource = new Resource<int>("r", 2);
        resource.SkipAhead(long.MaxValue - 1, 0, 0, x => x);
        Assert.Throws<OverflowException>(() => resource.SkipAhead(2, 0, 0, x => x));
        var held = new Resource<int>("r", 1);
        held.SkipAhead(0, long.MaxValue, long.MaxValue, x => x);
        Assert.Throws<OverflowException>(() => held.SkipAhead(0, 1, 0, x => x));
        Assert.Throws<OverflowException>(() => held.SkipAhead(0, 0, 1, x => x));
        var histogram = new Histogram("h", 0, 1, 1);
        histogram.Add(long.MaxValue);
        Assert.Throws<OverflowException>(() => histogram.Add(1));
        var clock = new ClockDomain("c", 700_000_000);
        Assert.Throws<OverflowException>(() => clock.EdgeTimePs(long.MaxValue / 2));
        Assert.Throws<OverflowException>(() => new ClockDomain("g", 1_000_000_000).EdgeAfterCyclesPs(1_000, long.MaxValue));
    }

    [Fact]
    public void LinksAndResourceReportsOverflowLoudlyToo()
    {
        var simulator = new Simulator();
        var a = new Node(simulator, "a");
        var b = new Node(simulator, "b");
        Link<int>.Connect(a.Out, b.In, 1_000);
        simulator.ScheduleAt(long.MaxValue - 5, new Nothing());
        simulator.Step();
        Assert.Throws<OverflowException>(() => a.Out.Send(1));
        var resource = new Resource<int>("r", 2);
        resource.SkipAhead(long.MaxValue / 2 + 1, 0, 0, x => x);
        Assert.Throws<OverflowException>(() => resource.Report(0));
        // n · whole overflows on the exact path (700 MHz: 1428 4/7 ps per cycle).
        Assert.Throws<OverflowException>(() => new ClockDomain("c", 700_000_000).EdgeTimePs(long.MaxValue / 1_000));
    }

    [Fact]
    public void CyclesNearTheEndOfTimeUseTheWideFormulaExactly()
    {
        // 3 Hz: edge n at floor(n · 10^12 / 3) ps. t = 4·10^18 − 1 lies just before edge 12·10^6 (at 4·10^18), and
        // t = (2^63 − 1) / 3 is where (t + 1) · 3 no longer fits a long.
        var clock = new ClockDomain("slow", 3);
        Assert.Equal(11_999_999, clock.CycleAtOrBefore(3_999_999_999_999_999_999));
        Assert.Equal(12_000_000, clock.CycleAtOrBefore(4_000_000_000_000_000_000));
        long t = long.MaxValue / 3;
        Assert.Equal((long)((((Int128)t + 1) * 3 - 1) / 1_000_000_000_000), clock.CycleAtOrBefore(t));
    }

    [Fact]
    public void RunUntilIncludesEventsAtThatTime()
    {
        var simulator = new Simulator();
        simulator.ScheduleAt(100, new Nothing());
        simulator.ScheduleAt(101, new Nothing());
        simulator.Run(100);
        Assert.Equal((1, 100L), (simulator.PendingEvents, simulator.NowPs));
    }

    [Fact]
    public void TryAcquireIntegratesTheUnitsHeldBeforeIt()
    {
        // One unit held over 0..10, two over 10..20.
        var resource = new Resource<int>("r", 2);
        Assert.True(resource.TryAcquire(0));
        Assert.True(resource.TryAcquire(10));
        Assert.Equal(30, resource.Report(20).BusyCycles);
    }

    [Fact]
    public void ErrorsNameWhatWentWrong()
    {
        var simulator = new Simulator();
        var a = new Node(simulator, "a");
        var b = new Node(simulator, "b");
        Assert.Equal("a.out", a.Out.Path);
        Assert.Contains("'b' already exists", Assert.Throws<ArgumentException>(() => new Node(simulator, "b")).Message);
        Assert.Contains("'a.out' is not connected", Assert.Throws<InvalidOperationException>(() => a.Out.Send(1)).Message);
        Link<int>.Connect(a.Out, b.In, 1_000);
        var c = new Node(simulator, "c");
        Assert.Contains("'a.out' is already connected", Assert.Throws<InvalidOperationException>(() => Link<int>.Connect(a.Out, c.In, 1)).Message);
        Assert.Contains("'b.in' is already connected", Assert.Throws<InvalidOperationException>(() => Link<int>.Connect(c.Out, b.In, 1)).Message);
        Assert.Contains("released more often", Assert.Throws<InvalidOperationException>(() => new Resource<int>("r", 1).Release(0, out _)).Message);
        Assert.Contains("1 Hz .. 1 THz", Assert.Throws<ArgumentOutOfRangeException>(() => new ClockDomain("c", 0)).Message);
        simulator.ScheduleAt(50, new Nothing());
        simulator.Step();
        Assert.Contains("event at 10 ps with priority 0 would run before the current event (50 ps",
            Assert.Throws<InvalidOperationException>(() => simulator.ScheduleAt(10, new Nothing())).Message);
    }

    [Fact]
    public void PortsCountWhatTheySentAndLinksDeliverIt()
    {
        var simulator = new Simulator();
        var a = new Node(simulator, "a");
        var b = new Node(simulator, "b");
        Assert.False(b.In.IsConnected);
        Link<int>.Connect(a.Out, b.In, 1_000);
        Assert.True(b.In.IsConnected);
        a.Out.Send(1);
        a.Out.Send(2);
        Assert.Equal(2, a.Out.MessagesSent);
        simulator.Run();
        Assert.Equal([1, 2], b.Received);
        Assert.Equal(["a", "b"], simulator.Components.Select(c => c.Name));
    }

    [Fact]
    public void HistogramReportsItsBinsFromItsLowEdgeAndZeroExtremesWhenEmpty()
    {
        var empty = new Histogram("h", 10, 5, 2).Report();
        Assert.Equal((0L, 0L, 0L), (empty.Count, empty.Min, empty.Max));
        var histogram = new Histogram("h", 10, 5, 2);
        foreach (long v in new long[] { 9, 10, 14, 15, 19, 20 }) histogram.Add(v);
        var report = histogram.Report();
        Assert.Equal([2L, 2L], report.Bins);
        Assert.Equal((1L, 1L, 9L, 20L, 87L), (report.Underflow, report.Overflow, report.Min, report.Max, report.Sum));
    }

    [Fact]
    public void ActivityTotalsAddEveryKindOfCycle()
    {
        var report = new UnitActivityReport("u", 2, BusyCycles: 6, StallCycles: 3, IdleCycles: 1);
        Assert.Equal(10, report.TotalUnitCycles);
        Assert.Equal(0.6, report.Utilization);
        Assert.Equal(0, new UnitActivityReport("u", 1, 0, 0, 0).Utilization);
    }
}
