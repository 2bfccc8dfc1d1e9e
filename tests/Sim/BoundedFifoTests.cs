using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Time;

namespace HwSim.Tests.Sim;

/// <summary>Capacity, order, back-pressure and the wake-ups of <see cref="BoundedFifo{T}"/>.</summary>
public class BoundedFifoTests
{
    private static readonly ClockDomain Clock = new("c", 1_000_000_000);

    /// <summary>Logs when it runs; runs an action first if given one.</summary>
    private sealed class Probe(Simulator simulator, List<string> log, string name) : IEventHandler
    {
        public Action? Action { get; set; }

        public void OnEvent(long argument)
        {
            log.Add($"{name}@{simulator.NowPs}#{argument}");
            Action?.Invoke();
        }
    }

    [Fact]
    public void HoldsItsCapacityInOrderAndRefusesTheRest()
    {
        var simulator = new Simulator();
        var fifo = new BoundedFifo<int>(simulator, "q", Clock, capacity: 3);
        Assert.Equal(3, fifo.Capacity);
        Assert.True(fifo.IsEmpty);
        Assert.False(fifo.IsFull);
        Assert.False(fifo.TryPop(out _));
        Assert.True(fifo.TryPush(10));
        Assert.Equal(1, fifo.Count);
        Assert.False(fifo.IsEmpty);
        Assert.True(fifo.TryPush(11));
        Assert.True(fifo.TryPush(12));
        Assert.True(fifo.IsFull);
        Assert.False(fifo.TryPush(13));
        Assert.False(fifo.TryPush(14));
        Assert.Equal(2, fifo.RefusedPushes);
        Assert.True(fifo.TryPop(out int first));
        Assert.Equal(10, first);
        Assert.False(fifo.IsFull);
        Assert.True(fifo.TryPush(15));
        var popped = new List<int>();
        while (fifo.TryPop(out int item)) popped.Add(item);
        Assert.Equal([11, 12, 15], popped);
        Assert.Equal(0, fifo.Count);

        var report = simulator.Collect().Component("q");
        Assert.Equal([("pushes", 4L), ("pops", 4L), ("refused_pushes", 2L)], report.Counters.Select(c => (c.Name, c.Value)));
        // Occupancy after each push: 1, 2, 3, then 3 again (after one pop) — bins 1, 2, 3 of width 1.
        var occupancy = Assert.Single(report.Histograms);
        Assert.Equal("occupancy_after_push", occupancy.Name);
        Assert.Equal((1L, 1L), (occupancy.Low, occupancy.BinWidth));
        Assert.Equal([1L, 1L, 2L], occupancy.Bins);
        Assert.Equal((0L, 0L, 4L), (occupancy.Underflow, occupancy.Overflow, occupancy.Count));
    }

    [Fact]
    public void CapacityMustBePositive()
    {
        var simulator = new Simulator();
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedFifo<int>(simulator, "q", Clock, 0));
        var single = new BoundedFifo<int>(simulator, "one", Clock, 1);
        Assert.True(single.TryPush(1));
        Assert.True(single.IsFull);
    }

    [Fact]
    public void AProducerWaitingForSpaceWakesOnceAfterThePopThatFreesIt()
    {
        var simulator = new Simulator();
        var log = new List<string>();
        var fifo = new BoundedFifo<int>(simulator, "q", Clock, 2);
        var producer = new Probe(simulator, log, "producer");
        var consumer = new Probe(simulator, log, "consumer") { Action = () => fifo.TryPop(out _) };
        fifo.TryPush(1);
        fifo.TryPush(2);
        fifo.NotifyWhenNotFull(producer, 7);
        Assert.Equal(0, simulator.PendingEvents);
        simulator.ScheduleAt(5_000, consumer, 1, priority: 3);
        simulator.ScheduleAt(6_000, consumer, 2);
        simulator.Run();
        // Woken at the pop's time and after it (same priority, later sequence); the second pop wakes nobody.
        Assert.Equal(["consumer@5000#1", "producer@5000#7", "consumer@6000#2"], log);
    }

    [Fact]
    public void AConsumerWaitingForDataWakesAtThePush()
    {
        var simulator = new Simulator();
        var log = new List<string>();
        var fifo = new BoundedFifo<int>(simulator, "q", Clock, 2);
        var consumer = new Probe(simulator, log, "consumer");
        var producer = new Probe(simulator, log, "producer") { Action = () => fifo.TryPush(1) };
        fifo.NotifyWhenNotEmpty(consumer, 9);
        simulator.ScheduleAt(4_000, producer, 1);
        simulator.ScheduleAt(4_500, producer, 2);
        simulator.Run();
        Assert.Equal(["producer@4000#1", "consumer@4000#9", "producer@4500#2"], log);
    }

    [Fact]
    public void AWaiterWhoseConditionHoldsIsWokenNow()
    {
        var simulator = new Simulator();
        var log = new List<string>();
        var fifo = new BoundedFifo<int>(simulator, "q", Clock, 2);
        var probe = new Probe(simulator, log, "p");
        simulator.ScheduleAt(3_000, new Probe(simulator, log, "start") { Action = () =>
        {
            fifo.NotifyWhenNotFull(probe, 1);
            fifo.TryPush(5);
            fifo.NotifyWhenNotEmpty(probe, 2);
        } });
        simulator.Run();
        Assert.Equal(["start@3000#0", "p@3000#1", "p@3000#2"], log);
    }

    [Fact]
    public void OneWaiterPerSideTheSameOneMayAskAgain()
    {
        var simulator = new Simulator();
        var log = new List<string>();
        var fifo = new BoundedFifo<int>(simulator, "q", Clock, 1);
        var first = new Probe(simulator, log, "first");
        fifo.NotifyWhenNotEmpty(first, 1);
        fifo.NotifyWhenNotEmpty(first, 2);
        var error = Assert.Throws<InvalidOperationException>(() => fifo.NotifyWhenNotEmpty(new Probe(simulator, log, "second"), 3));
        Assert.Equal("FIFO 'q' already has a different waiter on that side", error.Message);
        // The other side is free.
        fifo.NotifyWhenNotFull(new Probe(simulator, log, "space"), 4);
        fifo.TryPush(1);
        simulator.Run();
        Assert.Equal(["space@0#4", "first@0#2"], log);
    }
}
