using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Resources;
using HwSim.Sim.Time;

namespace HwSim.Tests.Sim;

/// <summary>
/// Kernel behaviours at their edges, each pinning what a Stryker.NET mutant of sim/ changed without a test noticing
/// (tests/MUTATION.md): ids from elsewhere, repeated and reordering reads of the pending events, the clock after a
/// bounded run, long interleaved heap use, and the remaining guards and texts.
/// </summary>
public class KernelEdgeCaseTests
{
    private sealed class Recorder(Simulator simulator) : IEventHandler
    {
        public List<(long TimePs, long Tag)> Seen { get; } = [];

        public void OnEvent(long argument) => Seen.Add((simulator.NowPs, argument));
    }

    private sealed class Named : Component
    {
        public Named(Simulator simulator, string name, string portName = "p") : base(simulator, name, new ClockDomain("c", 1_000_000_000))
        {
            In = AddInPort<int>(portName, _ => { });
            Out = AddOutPort<int>("out");
        }

        public InPort<int> In { get; }
        public OutPort<int> Out { get; }

        public void AddSecondPort(string name) => AddInPort<int>(name, _ => { });

        public void WakeLater() => WakeAfterCycles(1);
    }

    [Fact]
    public void IdsThisSimulatorNeverIssuedCancelNothing()
    {
        var other = new Simulator();
        var ids = Enumerable.Range(0, 4).Select(i => other.ScheduleAt(1_000, new Recorder(other), i)).ToList();
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        simulator.ScheduleAt(1_000, recorder, 0);
        simulator.ScheduleAt(1_000, recorder, 1);
        // Sequences 2 (the next one this simulator would issue) and 3 are unknown here; so is a negative one.
        Assert.False(simulator.Cancel(ids[2]));
        Assert.False(simulator.Cancel(ids[3]));
        Assert.False(simulator.Cancel(new EventId(new EventKey(1_000, 0, -1))));
        Assert.Equal((0L, 2), (simulator.EventsCancelled, simulator.PendingEvents));
        simulator.Run();
        Assert.Equal([(1_000L, 0L), (1_000L, 1L)], recorder.Seen);
    }

    [Fact]
    public void PendingEventsCanBeReadTwiceAndFromASmallQueue()
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        simulator.ScheduleAt(300, recorder, 3);
        simulator.ScheduleAt(100, recorder, 1);
        simulator.ScheduleAt(200, recorder, 2);
        simulator.Step();
        var first = new List<PendingEvent>();
        var second = new List<PendingEvent>();
        simulator.CopyPending(first);
        simulator.CopyPending(second);
        Assert.Equal([(200L, 2L), (300L, 3L)], first.Select(e => (e.TimePs, e.Argument)));
        Assert.Equal(first, second);
    }

    [Fact]
    public void ShiftingCallsTheMapOncePerEventAndMayReorderEvents()
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        for (int i = 0; i < 5; i++) simulator.ScheduleAt(100 * i, recorder, i);
        simulator.Step(); // leaves a stale entry behind the live heap
        int calls = 0;
        // The earliest pending event (at 100) moves past all the others; the rest stay where they are.
        simulator.ShiftPending((time, argument) =>
        {
            calls++;
            return (time == 100 ? 1_000 : time, argument * 10);
        });
        Assert.Equal(4, calls);
        simulator.Run();
        Assert.Equal([(0L, 0L), (200L, 20L), (300L, 30L), (400L, 40L), (1_000L, 10L)], recorder.Seen);
    }

    [Fact]
    public void ShiftingMayKeepTimesButNotMoveEventsEarlier()
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        simulator.ScheduleAt(500, recorder, 1);
        simulator.ShiftPending((time, argument) => (time, argument + 1));
        var error = Assert.Throws<InvalidOperationException>(() => simulator.ShiftPending((time, argument) => (time - 1, argument)));
        Assert.Equal("a pending event may only move later (from 500 ps to 499 ps)", error.Message);
    }

    [Fact]
    public void ABoundedRunStoppingAtAnEventKeepsThatEventsPlaceInTheOrder()
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        simulator.ScheduleAt(100, recorder, 1, priority: 5);
        simulator.ScheduleAt(200, recorder, 2);
        simulator.Run(100);
        Assert.Equal((100L, 5), (simulator.NowPs, simulator.CurrentPriority));
        // The priority-5 event at 100 ps has run: nothing may be scheduled before it.
        Assert.Throws<InvalidOperationException>(() => simulator.ScheduleAt(100, recorder, 3, priority: 0));
        simulator.ScheduleAt(100, recorder, 4, priority: 6);
        // Stopping between events: the clock moves on to the bound, ahead of every priority.
        simulator.Run(150);
        Assert.Equal((150L, (int)short.MinValue), (simulator.NowPs, simulator.CurrentPriority));
    }

    [Fact]
    public void ALongInterleavedRunDequeuesInKeyOrder()
    {
        // Thousands of pending events (a deep 4-ary heap) with pushes and pops interleaved, against a sorted reference.
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        var random = new Random(18);
        var expected = new SortedSet<(long TimePs, long Tag)>();
        long tag = 0;
        for (int round = 0; round < 40; round++)
        {
            for (int i = 0; i < 150; i++)
            {
                long time = simulator.NowPs + random.Next(0, 5_000);
                simulator.ScheduleAt(time, recorder, tag);
                expected.Add((time, tag++));
            }
            for (int i = 0; i < 100; i++) simulator.Step();
        }
        simulator.Run();
        // Equal times run in insertion order, which the tags follow.
        Assert.Equal(expected.ToList(), recorder.Seen);
    }

    [Fact]
    public void GuardsAndTheirTexts()
    {
        var simulator = new Simulator();
        Assert.Equal("port name is empty", Assert.Throws<ArgumentException>(() => new Named(simulator, "bad", " ")).Message);
        var a = new Named(simulator, "a");
        Assert.Equal("component 'a' already has a port named 'p'", Assert.Throws<ArgumentException>(() => a.AddSecondPort("p")).Message);
        var other = new Simulator();
        var b = new Named(other, "b");
        Assert.Equal("ports 'a.out' and 'b.p' belong to different simulators",
            Assert.Throws<InvalidOperationException>(() => Link<int>.Connect(a.Out, b.In, 1)).Message);
        Assert.Equal("port 'a.out' is not connected", Assert.Throws<InvalidOperationException>(() => a.Out.Send(1)).Message);
        a.WakeLater();
        Assert.Equal("component 'a' scheduled a wake-up it does not handle", Assert.Throws<InvalidOperationException>(() => simulator.Run()).Message);

        var resource = new Resource<int>("bus", 1);
        resource.TryAcquire(10);
        Assert.Equal("resource 'bus': time went back from cycle 10 to 5",
            Assert.Throws<InvalidOperationException>(() => resource.Release(5, out _)).Message);

        var clock = ClockDomain.FromMegahertz("core", 700);
        Assert.Equal(700_000_000, clock.FrequencyHz);
        Assert.Equal("core @ 700000000 Hz", clock.ToString());
        Assert.Throws<OverflowException>(() => ClockDomain.FromMegahertz("x", long.MaxValue / 1_000));
    }
}
