using HwSim.Arch.Memory;

namespace HwSim.Tests.Arch.Memory;

/// <summary>
/// The DMA engine pool and a compute unit on timelines worked out by hand: a channel of 10 bytes per cycle, no
/// latency, two engines; transfers queue for an engine first come first served, and for the channel behind earlier
/// transfers.
/// </summary>
public class DmaAndComputeUnitTests
{
    private sealed record Completion(long Cycle, long Tag);

    [Fact]
    public void EnginesQueueAndAreLabelledLowestFreeFirst()
    {
        var completions = new List<Completion>();
        var dram = new SimpleDramSpec(10).CreateModel(1);
        var pool = new DmaEnginePool(2, 64, dram, (cycle, tag) => completions.Add(new Completion(cycle, tag)));
        var starts = new List<(int Engine, long Start, long End, long Bytes, bool Write, long Tag)>();
        pool.Observe((engine, start, end, bytes, write, tag) => starts.Add((engine, start, end, bytes, write, tag)));
        Assert.Equal(2, pool.Engines);
        // Three 100-byte transfers at 0: two take the engines (channel 0..10, 10..20), the third queues.
        pool.Issue(0, 0, 100, false, 1);
        pool.Issue(0, 1000, 100, false, 2);
        pool.Issue(0, 2000, 100, true, 3);
        Assert.Equal([new Completion(10, 1), new Completion(20, 2)], completions);
        // Transfer 1 completes at 10: its engine (0) takes transfer 3, channel 20..30.
        pool.Finished(10);
        Assert.Equal(new Completion(30, 3), completions[^1]);
        Assert.Equal([(0, 0L, 10L, 100L, false, 1L), (1, 0L, 20L, 100L, false, 2L), (0, 10L, 30L, 100L, true, 3L)], starts);
        pool.Finished(20);
        pool.Finished(30);
        // Engine-cycles held: 0..10, 0..20, 10..30 = 50; of them waiting at the DRAM: transfer 2 0..10, transfer 3
        // 10..20 = 20 (stalled); busy 30; transfer 3 queued for an engine 0..10.
        var activity = pool.Activity(40);
        Assert.Equal((30L, 20L, 80L - 50, 10L), (activity.BusyCycles, activity.StallCycles, activity.IdleCycles, activity.QueuedCycles));
    }

    [Fact]
    public void ComputeUnitActivity()
    {
        var unit = new ComputeUnit("array");
        Assert.False(unit.Busy);
        Assert.Equal(15, unit.Start(5, 10));
        Assert.True(unit.Busy);
        Assert.Equal("array started a tile while busy", Assert.Throws<InvalidOperationException>(() => unit.Start(6, 1)).Message);
        unit.Finish();
        Assert.False(unit.Busy);
        Assert.Equal(27, unit.Start(20, 7));
        unit.Finish();
        Assert.Equal(27, unit.LastEndCycle);
        // Busy 17; stalled before the last tile ended: 27 − 17 = 10; idle after it until 40.
        var activity = unit.Activity(40);
        Assert.Equal(("array", 17L, 10L, 13L), (activity.Name, activity.BusyCycles, activity.StallCycles, activity.IdleCycles));
        Assert.Equal(0, unit.Activity(20).IdleCycles);
        // Capture writes busy flag, end cycle relative to now, busy count; a skip of 2 periods of (+30, +17).
        var state = new PeriodicState();
        state.Reset(30);
        unit.Capture(state);
        Assert.Equal([0L, 27 - 30], state.Shape);
        Assert.Equal([27L, 17], state.Values);
        var skip = new PeriodicSkip(2, [0L, 0], [30L, 17]);
        unit.Skip(skip);
        Assert.True(skip.Complete);
        Assert.Equal(87, unit.LastEndCycle);
        Assert.Equal(51, unit.Activity(87).BusyCycles);
    }

    [Fact]
    public void PeriodicSkipReadsBackInOrder()
    {
        var skip = new PeriodicSkip(4, [1, 10, 100], [2, 13, 100]);
        Assert.Equal(4, skip.Periods);
        Assert.False(skip.Complete);
        Assert.Equal([4L, 12, 0], [skip.Next(), skip.Next(), skip.Next()]);
        Assert.True(skip.Complete);
        Assert.Throws<OverflowException>(() => new PeriodicSkip(long.MaxValue, [0], [2]).Next());
    }
}
