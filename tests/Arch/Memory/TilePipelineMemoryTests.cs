using HwSim.Arch.Fast;
using HwSim.Arch.Memory;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch.Memory;

/// <summary>
/// DRAM latency, row-miss penalty and the DMA engine limit on a three-tile stream, against timelines worked out by
/// hand. Tiles: three loads of 100 bytes, 5 compute cycles each, the last one stores 40 bytes; the DRAM moves
/// 10 bytes per cycle; two buffer slots (double-buffered).
/// </summary>
public class TilePipelineMemoryTests
{
    private static readonly Tile[] Stream =
    [
        new(0, 100, false, 5, 5, 0),
        new(0, 100, false, 5, 5, 0),
        new(0, 100, false, 5, 5, 40),
    ];

    private static (long Cycles, TilePipeline Pipeline) Run(SimpleDramSpec dram, int engines, Tile[]? stream = null)
    {
        var tiles = stream ?? Stream;
        var spec = Presets.Find("bitmod")! with { Dram = dram, Dma = new DmaSpec(Engines: engines) };
        Assert.All(spec.Buffers, b => Assert.True(b.DoubleBuffered));
        var pipeline = new TilePipeline(spec, TileBlock.Each(tiles), (_, _, _, _) => { });
        return (pipeline.Run(), pipeline);
    }

    [Fact]
    public void BandwidthOnly()
    {
        // Loads 0..10, 10..20; tile 0 computes 10..15, frees its slot: load 3 waits for the channel 20..30;
        // tile 1 computes 20..25, tile 2 30..35, store 35..39.
        var (cycles, pipeline) = Run(new SimpleDramSpec(10), engines: 2);
        Assert.Equal(39, cycles);
        var activity = pipeline.Activity(cycles);
        // Engines: load 2 waits for the channel 0..10, load 3 15..20 (stalled); data moves 10 + 10 + 10 + 4 cycles.
        Assert.Equal((34L, 15L, 2 * 39L - 49), (activity[1].BusyCycles, activity[1].StallCycles, activity[1].IdleCycles));
        // Slots: tile 0 holds one 0..15, tile 2 15..35, tile 1 the other 0..25; each computes as soon as loaded.
        Assert.Equal((60L, 0L, 2 * 39L - 60), (activity[2].BusyCycles, activity[2].StallCycles, activity[2].IdleCycles));
    }

    [Fact]
    public void LoadedDataWaitingForTheComputeUnitStallsItsSlot()
    {
        // 30 compute cycles per tile: loads 0..10, 10..20; tile 0 computes 10..40 while tile 1 waits loaded 20..40;
        // load 3 40..50, tile 1 computes 40..70, tile 2 waits 50..70 and computes 70..100; store 100..104.
        Tile[] stream = [new(0, 100, false, 30, 30, 0), new(0, 100, false, 30, 30, 0), new(0, 100, false, 30, 30, 40)];
        var (cycles, pipeline) = Run(new SimpleDramSpec(10), engines: 2, stream);
        Assert.Equal(104, cycles);
        var activity = pipeline.Activity(cycles);
        // Slots held 0..40, 0..70, 40..100 = 170 slot-cycles, 40 of them with loaded data waiting.
        Assert.Equal((130L, 40L, 2 * 104L - 170), (activity[2].BusyCycles, activity[2].StallCycles, activity[2].IdleCycles));
        // The compute unit waited for the first load (10 cycles) and idled while the store drained (4).
        Assert.Equal((90L, 10L, 4L), (activity[0].BusyCycles, activity[0].StallCycles, activity[0].IdleCycles));
    }

    [Fact]
    public void LatencyDelaysEveryCompletion()
    {
        // Latency 7: loads done 17 and 27; tile 0 computes 17..22, load 3 occupies 22..32, done 39; tile 1 27..32,
        // tile 2 39..44; store 44..48, done 55.
        Assert.Equal(55, Run(new SimpleDramSpec(10, LatencyCycles: 7), engines: 2).Cycles);
    }

    [Fact]
    public void RowMissPenaltyPerRowBufferOpened()
    {
        // 64-byte rows, 5 cycles per row opened: a 100-byte load opens 2 (20 cycles), the store 1 (9 cycles).
        // Loads 0..20, 20..40; tile 0 computes 20..25; load 3 40..60; tile 1 40..45, tile 2 60..65; store 65..74.
        var (cycles, pipeline) = Run(new SimpleDramSpec(10, RowBufferBytes: 64, RowMissPenaltyCycles: 5), engines: 2);
        Assert.Equal(74, cycles);
        var dram = pipeline.Activity(cycles)[3];
        Assert.Equal((30 + 4, 3 * 10 + 5), (dram.BusyCycles, dram.StallCycles));
        Assert.Equal(cycles - 34 - 35, dram.IdleCycles);
    }

    [Fact]
    public void OneDmaEngineSerializesTransfers()
    {
        // Latency 7, one engine: load 2 waits for load 1's completion at 17 (channel 17..27, done 34); load 3 is
        // issued at 22 but waits for the engine until 34 (44, done 51); tile 2 computes 51..56; store 56..60, done 67.
        var (cycles, pipeline) = Run(new SimpleDramSpec(10, LatencyCycles: 7), engines: 1);
        Assert.Equal(67, cycles);
        var activity = pipeline.Activity(cycles);
        var (compute, dma) = (activity[0], activity[1]);
        Assert.Equal((15L, 56L - 15, 67L - 56), (compute.BusyCycles, compute.StallCycles, compute.IdleCycles));
        // Engine held 0..17, 17..34, 34..51, 56..67; transfers queued 0..17 and 22..34.
        Assert.Equal((17L * 3 + 11, 17L + 12), (dma.BusyCycles, dma.QueuedCycles));
    }

    /// <summary>n tiles loading <paramref name="loadBytes"/> and computing <paramref name="compute"/> cycles; the last stores 10 bytes.</summary>
    private static Tile[] Chain(int n, long loadBytes, long compute) =>
        [.. Enumerable.Range(0, n).Select(i => new Tile(0, loadBytes, false, compute, compute, i == n - 1 ? 10 : 0))];

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(5, 3, 40)]
    [InlineData(8, 2, 100)]
    [InlineData(9, 6, 6)]
    public void ALatencyBoundChainEqualsItsClosedForm(int n, long compute, int latency)
    {
        // Loads of one channel cycle, engines never short, two buffer slots: a load can start only when the tile two
        // back has computed, so the latency L sits on the critical path. Tile 2k starts at (k+1)(1+L) + kC and tile
        // 2k+1 right after it, at (k+1)(1+L) + (k+1)C (its load completes exactly then); the 10-byte store of the
        // last tile takes 1 + L. Needs C <= 1 + L.
        long Start(int tile) => tile / 2 + 1 + (long)(tile / 2 + 1) * latency + (tile / 2 + tile % 2) * compute;
        long expected = Start(n - 1) + compute + 1 + latency;
        Assert.Equal(expected, Run(new SimpleDramSpec(10, LatencyCycles: latency), engines: 4, Chain(n, 10, compute)).Cycles);
    }

    [Theory]
    [InlineData(3, 100, 0, 0)]
    [InlineData(3, 64, 5, 2)]
    [InlineData(6, 32, 3, 4)]
    [InlineData(4, 100, 11, 1)]
    public void ARowHoppingStreamPaysThePenaltyPerRowOpened(int n, long rowBytes, int penalty, long rowsPerLoad)
    {
        // No latency: loads of 100 bytes run back to back on the channel, each for U = 10 + rows · P cycles; tile k
        // computes (k+1)U .. (k+1)U + 5; the 10-byte store opens one row: 1 + P. Needs 5 <= U. Penalty 0: no rows.
        var dram = penalty == 0 ? new SimpleDramSpec(10) : new SimpleDramSpec(10, RowBufferBytes: rowBytes, RowMissPenaltyCycles: penalty);
        if (penalty > 0) Assert.Equal(rowsPerLoad, (100 + rowBytes - 1) / rowBytes);
        long perLoad = 10 + rowsPerLoad * penalty;
        var (cycles, pipeline) = Run(dram, engines: 2, Chain(n, 100, 5));
        Assert.Equal(n * perLoad + 5 + 1 + penalty, cycles);
        Assert.Equal(n * rowsPerLoad * penalty + penalty, pipeline.Activity(cycles)[3].StallCycles);
    }

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(6, 2, 20)]
    [InlineData(10, 1, 0)]
    public void ADmaLimitedStreamQueuesBehindItsOneEngine(int n, long compute, int latency)
    {
        // One engine, held until a transfer's last byte arrives: transfer k holds it (k)(1+L) .. (k+1)(1+L), so the
        // last tile computes from n(1+L) and its store takes 1 + L more. Load 1 queues 1+L cycles, loads 2 .. n-1
        // each 1+L-C (issued when the tile two back frees its slot). Needs C <= 1 + L.
        var (cycles, pipeline) = Run(new SimpleDramSpec(10, LatencyCycles: latency), engines: 1, Chain(n, 10, compute));
        Assert.Equal(n * (1L + latency) + compute + 1 + latency, cycles);
        Assert.Equal(1L + latency + (n - 2) * (1 + latency - compute), pipeline.Activity(cycles)[1].QueuedCycles);
        // With engines to spare the latency of successive loads overlaps, unless there is none.
        long spare = Run(new SimpleDramSpec(10, LatencyCycles: latency), engines: 4, Chain(n, 10, compute)).Cycles;
        Assert.True(latency == 0 ? spare == cycles : spare < cycles, $"{spare} vs {cycles}");
    }

    [Fact]
    public void BankedModelRunsTheStreamAtItsOwnTiming()
    {
        // DDR4-3200 at an accelerator clock of 1600 MHz (DRAM cycle = accelerator cycle). Default placement puts
        // the three loads at 0, 4096, 8192 (4 KiB aligned): row 0 of bank 0 twice, then bank 1. Load 1: ACT 0,
        // 2 bursts (100 bytes) at columns 22, 26, data ends 26 + CL 22 + 4 = 52. Load 2 hits the open row:
        // columns 30, 34, ends 60. Tile 0 computes 52..57; load 3 is issued at 57 to closed bank 1: ACT 57,
        // columns 79, 83, ends 109. Tile 1 computes 60..65, tile 2 109..114. The store goes to the op's store
        // region at 2^39 (row 2^22 of bank 0, a conflict): PRE at max(114, ACT 0 + tRAS 52, column 34 + tRTP 12)
        // = 114, ACT 136, column 158, data ends 158 + 22 + 4 = 184.
        var spec = Presets.Find("bitmod")! with { ClockMhz = 1600, Dram = BankedDramSpec.Ddr4_3200() };
        var pipeline = new TilePipeline(spec, TileBlock.Each(Stream), (_, _, _, _) => { });
        Assert.Equal(184, pipeline.Run());
    }
}
