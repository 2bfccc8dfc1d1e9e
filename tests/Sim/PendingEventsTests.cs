using HwSim.Sim.Kernel;
using HwSim.Sim.Resources;

namespace HwSim.Tests.Sim;

/// <summary>Reading and shifting the pending events: the order they report and keep is the order they run in.</summary>
public class PendingEventsTests
{
    private sealed class Recorder(Simulator simulator) : IEventHandler
    {
        public List<(long TimePs, long Tag)> Seen { get; } = [];

        public void OnEvent(long argument) => Seen.Add((simulator.NowPs, argument));
    }

    private static (Simulator Simulator, Recorder Recorder) Shuffled(int seed)
    {
        var simulator = new Simulator();
        var recorder = new Recorder(simulator);
        var random = new Random(seed);
        var ids = new List<EventId>();
        for (long tag = 0; tag < 300; tag++)
            ids.Add(simulator.ScheduleAt(random.Next(0, 6) * 700, recorder, tag, random.Next(-1, 2)));
        for (int i = 0; i < ids.Count; i += 7) simulator.Cancel(ids[i]);
        return (simulator, recorder);
    }

    [Fact]
    public void PendingEventsComeInTheOrderTheyRun()
    {
        var (simulator, recorder) = Shuffled(seed: 3);
        var pending = new List<PendingEvent>();
        simulator.CopyPending(pending);
        simulator.Run();
        Assert.Equal(300 - 300 / 7 - 1, pending.Count);
        Assert.Equal(recorder.Seen, pending.Select(e => (e.TimePs, e.Argument)));
    }

    [Fact]
    public void ShiftedEventsRunInTheSameOrderAtTheirNewTimes()
    {
        var (reference, referenceRecorder) = Shuffled(seed: 5);
        reference.Run();
        var (simulator, recorder) = Shuffled(seed: 5);
        // A strictly increasing map of time: every edge of a 700 MHz clock moves 1000 cycles later.
        static long Shift(long ps) => (ps / 700 + 1000) * 1429;
        simulator.ShiftPending((time, tag) => (Shift(time), tag + 10_000));
        simulator.Run();
        Assert.Equal(referenceRecorder.Seen.Select(e => (Shift(e.TimePs), e.Tag + 10_000)), recorder.Seen);
    }

    [Fact]
    public void PendingEventsMayNotMoveEarlier()
    {
        var simulator = new Simulator();
        simulator.ScheduleAt(100, new Recorder(simulator));
        Assert.Throws<InvalidOperationException>(() => simulator.ShiftPending((time, tag) => (time - 1, tag)));
    }

    [Fact]
    public void SkippingAheadAddsTheGivenTimeAndKeepsTheQueue()
    {
        // One unit held from cycle 0 with "a" queued: skipping 5 cycles adds 5 held and 5 queued cycles, as holding
        // them would; the release at 8 then integrates 3 more of each and grants the remapped request.
        var resource = new Resource<string>("r", 1);
        Assert.True(resource.TryAcquire(0));
        Assert.False(resource.Request(0, "a"));
        resource.SkipAhead(5, 5, 5, request => request + "!");
        Assert.Equal(5, resource.LastCycle);
        Assert.True(resource.Release(8, out string granted));
        Assert.Equal("a!", granted);
        var report = resource.Report(10);
        Assert.Equal((10L, 0L, 8L), (report.BusyCycles, report.IdleCycles, report.QueuedCycles));
    }
}
