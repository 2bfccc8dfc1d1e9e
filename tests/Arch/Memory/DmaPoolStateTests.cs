using HwSim.Arch.Memory;

namespace HwSim.Tests.Arch.Memory;

/// <summary>
/// The DMA engine pool's engine labels when several engines are free, its periodic state (what it writes for the
/// repetition search and how a skip moves it), and a compute unit captured while busy; timelines by hand on a
/// channel of 10 bytes per cycle without latency, two engines.
/// </summary>
public class DmaPoolStateTests
{
    private sealed record Completion(long Cycle, long Tag);

    private static (DmaEnginePool Pool, List<Completion> Completions, List<(int Engine, long Start, long End, long Bytes, bool Write, long Tag)> Starts) Fresh()
    {
        var completions = new List<Completion>();
        var pool = new DmaEnginePool(2, 64, new SimpleDramSpec(10).CreateModel(1), (cycle, tag) => completions.Add(new Completion(cycle, tag)));
        var starts = new List<(int, long, long, long, bool, long)>();
        pool.Observe((engine, start, end, bytes, write, tag) => starts.Add((engine, start, end, bytes, write, tag)));
        return (pool, completions, starts);
    }

    [Fact]
    public void ATransferTakesTheLowestNumberedFreeEngineNotTheOneFreeLongest()
    {
        var (pool, completions, starts) = Fresh();
        // Transfers 1 and 2 at 0 on engines 0 and 1: channel 0..10 and 10..20.
        pool.Issue(0, 0, 100, false, 1);
        pool.Issue(0, 1000, 100, false, 2);
        pool.Finished(10);
        // Transfer 3 at 12: engine 0 is free (since 10), channel 20..30.
        pool.Issue(12, 2000, 100, true, 3);
        pool.Finished(20);
        pool.Finished(30);
        // Transfer 4 at 30: engine 0 is free from 30, engine 1 from 20; both are free, the lowest number is taken.
        pool.Issue(30, 3000, 50, false, 4);
        Assert.Equal([(0, 0L, 10L, 100L, false, 1L), (1, 0L, 20L, 100L, false, 2L), (0, 12L, 30L, 100L, true, 3L), (0, 30L, 35L, 50L, false, 4L)], starts);
        Assert.Equal([new Completion(10, 1), new Completion(20, 2), new Completion(30, 3), new Completion(35, 4)], completions);
    }

    [Fact]
    public void CaptureWritesOccupancyQueueAndCountersThenSkipMovesThem()
    {
        var (pool, completions, starts) = Fresh();
        // 1 and 2 at 0 take both engines (channel 0..10, 10..20), 3 queues. At 10, 1 ends and 3 takes its engine
        // (channel 20..30; it waited for the DRAM 10..20). 4 (a read) at 12 and 5 (a write) at 13 queue.
        pool.Issue(0, 0, 100, false, 1);
        pool.Issue(0, 1000, 100, false, 2);
        pool.Issue(0, 2000, 100, true, 3);
        pool.Finished(10);
        pool.Issue(12, 3000, 50, false, 4);
        pool.Issue(13, 4000, 30, true, 5);
        var state = new PeriodicState();
        state.Reset(15);
        Assert.True(pool.Capture(state, tag => tag - 100, (write, address) => (write ? 1 : 2) * 1_000_000 + address));
        // Shape: engines in use 2, the pool's last cycle 13 relative to 15, 2 transfers queued (tag 4 → −96, read at
        // 3000 → 2,003,000, 50 bytes, not a write; tag 5 → −95, write at 4000 → 1,004,000, 30 bytes, a write), then
        // the DRAM channel free at 30, 15 cycles from now.
        Assert.Equal([2L, -2, 2, -96, 2_003_000, 50, 0, -95, 1_004_000, 30, 1, 15], state.Shape);
        // Values: last cycle 13; engine-cycles held 2 × 13 = 26; queued: 3 over 0..10, 4 over 12..13 = 11; waiting for
        // the DRAM: transfer 2 0..10 and 3 10..20 = 20; the channel free at 30, 30 busy cycles, 0 stalled.
        Assert.Equal([13L, 26, 11, 20, 30, 30, 0], state.Values);
        // Skip one repetition of a change (+40 cycles, +80 held, +5 queued, +7 waiting for the DRAM, channel +40,
        // busy +40, stall +3): the queued transfers become tags 14 and 15 at addresses 1000 further on.
        var skip = new PeriodicSkip(1, state.Values, [53L, 106, 16, 27, 70, 70, 3]);
        pool.Skip(skip, tag => tag + 10, (_, address) => address + 1000);
        Assert.True(skip.Complete);
        // At 60 a transfer ends and 14 takes an engine (engine 0: free since 30): the channel is free at 70, 70..75;
        // it waited for the DRAM 10 cycles. Held 53..60 by 2 engines = 14, queued 2 × 7 = 14.
        pool.Finished(60);
        Assert.Equal(new Completion(75, 14), completions[^1]);
        Assert.Equal((0, 60L, 75L, 50L, false, 14L), starts[^1]);
        // At 75 the next ends and 15 takes an engine (engine 0 again, free at 75): channel 75..78. Held 60..75 = 30,
        // queued 15.
        pool.Finished(75);
        Assert.Equal(new Completion(78, 15), completions[^1]);
        Assert.Equal((0, 75L, 78L, 30L, true, 15L), starts[^1]);
        pool.Finished(78);
        pool.Finished(78);
        // Held: 106 + 14 + 30 + 2 × 3 (75..78) = 156 of 2 × 80 engine-cycles; waiting for the DRAM 27 + 10 = 37 of
        // them (stalled), busy 119; queued 16 + 14 + 15 = 45.
        var activity = pool.Activity(80);
        Assert.Equal((119L, 37L, 4L, 45L), (activity.BusyCycles, activity.StallCycles, activity.IdleCycles, activity.QueuedCycles));
    }

    [Fact]
    public void PoolCaptureOnABankedDramSaysRepetitionsCannotBeSkipped()
    {
        var pool = new DmaEnginePool(1, 64, BankedDramSpec.Ddr4_3200().CreateModel(1_000_000_000), (_, _) => { });
        var state = new PeriodicState();
        state.Reset(0);
        Assert.False(pool.Capture(state, tag => tag, (_, address) => address));
        // The pool's own part is written before the DRAM model declines: idle, last cycle 0, nothing queued.
        Assert.Equal([0L, 0, 0], state.Shape);
        Assert.Equal([0L, 0, 0, 0], state.Values);
    }

    [Fact]
    public void ComputeUnitCapturedWhileBusyWritesItsFlag()
    {
        var unit = new ComputeUnit("vector");
        unit.Start(4, 6);
        var state = new PeriodicState();
        state.Reset(5);
        unit.Capture(state);
        // Busy (1), the tile ends at 10, 5 cycles from now; values: end 10, busy cycles 6.
        Assert.Equal([1L, 5], state.Shape);
        Assert.Equal([10L, 6], state.Values);
    }
}
