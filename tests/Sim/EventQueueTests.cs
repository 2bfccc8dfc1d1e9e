using HwSim.Sim.Kernel;

namespace HwSim.Tests.Sim;

public class EventQueueTests
{
    private sealed class Recorder(Simulator simulator) : IEventHandler
    {
        public List<(long TimePs, int Priority, long Tag)> Seen { get; } = [];

        public void OnEvent(long argument) => Seen.Add((simulator.NowPs, simulator.CurrentPriority, argument));
    }

    private static List<(long, int, long)> RunShuffled(int seed)
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        var random = new Random(seed);
        for (long tag = 0; tag < 500; tag++)
            simulator.ScheduleAt(random.Next(0, 5) * 100, recorder, tag, random.Next(-2, 3));
        simulator.Run();
        return recorder.Seen;
    }

    [Fact]
    public void SimultaneousEventsRunByPriorityThenInsertionOrder()
    {
        var seen = RunShuffled(seed: 7);
        Assert.Equal(500, seen.Count);
        for (int i = 1; i < seen.Count; i++)
        {
            var (t0, p0, tag0) = seen[i - 1];
            var (t1, p1, tag1) = seen[i];
            Assert.True(t0 < t1 || (t0 == t1 && (p0 < p1 || (p0 == p1 && tag0 < tag1))),
                $"event {i} ({t1} ps, priority {p1}, tag {tag1}) ran after ({t0} ps, priority {p0}, tag {tag0})");
        }
    }

    [Fact]
    public void TieOrderIsReproducibleAcrossRuns() => Assert.Equal(RunShuffled(seed: 11), RunShuffled(seed: 11));

    [Fact]
    public void CancelledEventDoesNotRunAndCancelAnswersExactly()
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        var first = simulator.Schedule(10, recorder, 1);
        var second = simulator.Schedule(20, recorder, 2);
        var third = simulator.Schedule(20, recorder, 3);
        Assert.Equal(3, simulator.PendingEvents);

        Assert.True(simulator.Cancel(second));
        Assert.False(simulator.Cancel(second));
        Assert.Equal(2, simulator.PendingEvents);
        simulator.Run();

        Assert.Equal([(10L, 0, 1L), (20L, 0, 3L)], recorder.Seen);
        Assert.False(simulator.Cancel(first));
        Assert.False(simulator.Cancel(third));
        Assert.Equal(2, simulator.EventsProcessed);
        Assert.Equal(1, simulator.EventsCancelled);
        Assert.Equal(0, simulator.PendingEvents);
    }

    [Fact]
    public void CancellingTheLastEventEndsTheRunAtThePreviousEvent()
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        simulator.Schedule(5, recorder, 1);
        var late = simulator.Schedule(50, recorder, 2);
        simulator.Cancel(late);
        simulator.Run();
        Assert.Equal(5, simulator.NowPs);
        Assert.False(simulator.Cancel(late));
    }

    [Fact]
    public void EventsCannotBeScheduledBeforeTheRunningOne()
    {
        var simulator = new Simulator();
        var probe = new SchedulingProbe(simulator);
        simulator.ScheduleAt(100, probe, 0, priority: 1);
        simulator.Run();
        Assert.IsType<InvalidOperationException>(probe.EarlierPriorityError);
        Assert.IsType<InvalidOperationException>(probe.PastTimeError);
        Assert.True(probe.SamePriorityAccepted);
    }

    private sealed class SchedulingProbe(Simulator simulator) : IEventHandler
    {
        public Exception? EarlierPriorityError { get; private set; }
        public Exception? PastTimeError { get; private set; }
        public bool SamePriorityAccepted { get; private set; }

        public void OnEvent(long argument)
        {
            if (argument != 0) return;
            EarlierPriorityError = Record.Exception(() => simulator.ScheduleAt(100, this, 1, priority: 0));
            PastTimeError = Record.Exception(() => simulator.ScheduleAt(99, this, 1, priority: 5));
            simulator.ScheduleAt(100, this, 1, priority: 1);
            SamePriorityAccepted = true;
        }
    }

    [Fact]
    public void RunUntilStopsAtTheHorizonAndResumes()
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        foreach (long t in new long[] { 10, 20, 30, 40 }) simulator.ScheduleAt(t, recorder, t);
        simulator.Run(untilPs: 25);
        Assert.Equal(25, simulator.NowPs);
        Assert.Equal(2, recorder.Seen.Count);
        simulator.Run();
        Assert.Equal(40, simulator.NowPs);
        Assert.Equal(4, recorder.Seen.Count);
    }
}
