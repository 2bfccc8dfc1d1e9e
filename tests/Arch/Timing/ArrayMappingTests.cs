using HwSim.Arch.Mapping;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Arch.Timing;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch.Timing;

/// <summary>
/// The closed form's parts on one small case per dataflow, worked out by hand: a 4 × 8 array, dot-product width 2,
/// M = 10, N = 20, K = 9 (5 steps).
/// </summary>
public class ArrayMappingTests
{
    private static readonly PeSpec Pe = new BitParallelPe(2, ["int8"], "int8");
    private static readonly WeightDatatype Int8 = WeightDatatypes.Get("int8");

    [Theory]
    // WS: rows take K steps (5), columns N (20), M streams: folds ceil(5/4) × ceil(20/8) = 2 × 3.
    [InlineData(Dataflow.Ws, 5, 20, 10, 2, 3)]
    // OS: rows take M (10), columns N (20), K steps stream: 3 × 3.
    [InlineData(Dataflow.Os, 10, 20, 5, 3, 3)]
    // IS: rows take K steps (5), columns M (10), N streams: 2 × 2.
    [InlineData(Dataflow.Is, 5, 10, 20, 2, 2)]
    public void MappingPerDataflow(Dataflow dataflow, long sr, long sc, long t, long rowFolds, long colFolds)
    {
        var array = new ArraySpec(4, 8, dataflow);
        var mapping = ArrayTiming.Map(array, 2, 10, 20, 9);
        Assert.Equal(new ArrayMapping(sr, sc, t, rowFolds, colFolds), mapping);
        Assert.Equal(rowFolds * colFolds, mapping.Folds);
        // Preload: R cycles unless output-stationary; skew R + C − 2 = 10 steps (systolic).
        long preload = dataflow == Dataflow.Os ? 0 : 4;
        Assert.Equal(preload, ArrayTiming.PreloadCycles(array));
        Assert.Equal(10, ArrayTiming.SkewSteps(array));
        Assert.Equal(preload + 3 * (t + 10), ArrayTiming.FoldCycles(array, t, 3));
        var timing = ArrayTiming.Gemm(array, Pe, Int8, 10, 20, 9);
        Assert.Equal(1, timing.CyclesPerStep);
        Assert.Equal(preload + t + 10, timing.FoldCycles);
        Assert.Equal(rowFolds * colFolds * (preload + t + 10), timing.Cycles);
        Assert.Equal(sr * sc * t, timing.BusyPeCycles);
        Assert.Equal(32, timing.PeCount);
        Assert.Equal((double)sr * sc / (rowFolds * colFolds * 32), timing.MappingEfficiency, 12);
        Assert.Equal((double)sr * sc * t / (timing.Cycles * 32.0), timing.Utilization, 12);
    }

    [Fact]
    public void BroadcastHasNoSkewAndSerialPesMultiplyTheSteps()
    {
        var array = new ArraySpec(4, 8, Dataflow.Os, Interconnect.Broadcast);
        Assert.Equal(0, ArrayTiming.SkewSteps(array));
        Assert.Equal(0, ArrayTiming.PreloadCycles(array));
        // A term-serial PE takes 4 cycles per int8 step: 3 × 3 folds of 4 · 5 cycles; busy PE-cycles 10 · 20 · 5 · 4.
        var timing = ArrayTiming.Gemm(array, new TermSerialPe(2, ["int8"], 1), Int8, 10, 20, 9);
        Assert.Equal((4, 20L, 180L, 4000L), (timing.CyclesPerStep, timing.FoldCycles, timing.Cycles, timing.BusyPeCycles));
        Assert.Equal(0, new GemmTiming(timing.Mapping, 1, 0, 0, 0, 32).Utilization);
    }

    [Fact]
    public void MappingTotalsAndBlockCounts()
    {
        // One block per operand (roomy buffers): the mapping's totals are the one step's timing.
        var array = new ArraySpec(4, 8, Dataflow.Ws);
        var mapping = new GemmMapper(array, Pe, 1 << 20, 1 << 20).Map(10, 20, 9, 90, 180, Int8);
        var step = Assert.Single(mapping.Steps);
        Assert.Equal((1L, 1L, 1L), (mapping.MBlocks, mapping.NBlocks, mapping.KBlocks));
        Assert.Equal(step.Timing.Cycles, mapping.Cycles);
        Assert.Equal(step.Timing.Mapping.Folds, mapping.Folds);
        Assert.Equal(step.Timing.BusyPeCycles, mapping.BusyPeCycles);
        Assert.Equal(90 + 180, step.LoadBytes);
        Assert.Equal((90L, 180L), (step.ALoadBytes, step.BLoadBytes));
        // WS: A (streaming) is read once per column fold (3), B once.
        Assert.Equal((270L, 180L), (step.AReadBytes, step.BReadBytes));
        Assert.Equal(4, mapping.PartialSumBytes); // 32-bit accumulator
        Assert.Equal((0L, 0L), (mapping.PartialSumReadBytes, mapping.PartialSumWriteBytes));
        // Buffers of 36 and 72 bytes (9 bytes per row of A and per column of B): A in ceil(90 / 36) = 3 blocks of
        // 4 rows (one fold each); B in ceil(180 / 72) = 3 blocks of ceil(20 / 3) = 7 columns, a share narrower than a
        // fold kept as it is (rounding it up to 8 would leave the same 3 folds).
        var blocked = new GemmMapper(array, Pe, 36, 72).Map(10, 20, 9, 90, 180, Int8);
        Assert.Equal((4L, 7L, 3L, 3L), (blocked.MStep, blocked.NStep, blocked.MBlocks, blocked.NBlocks));
        Assert.Equal(blocked.PartialSumReads * 4, blocked.PartialSumReadBytes);
        Assert.Equal(blocked.PartialSumWrites * 4, blocked.PartialSumWriteBytes);
    }

    [Fact]
    public void ShapesTooLargeFor64BitCountsOverflowLoudly()
    {
        // Busy PE-cycles 2^22 · 2^22 · 2^20 = 2^64 on a 4096 × 4096 OS array (cycles, 2^20 folds of 2^20 + 8190, fit).
        var os = new ArraySpec(4096, 4096, Dataflow.Os);
        var onePe = new BitParallelPe(1, ["int8"], "int8");
        Assert.Throws<OverflowException>(() => ArrayTiming.Gemm(os, onePe, Int8, 1L << 22, 1L << 22, 1L << 20));
        // Cycles without busy PE-cycles: WS, M = N = 1, K = 4096 · 7.6·10^14 steps: busy 3.1·10^18 fits, but
        // 7.6·10^14 folds of 4096 + 1 + 8190 = 12,287 cycles are 9.34·10^18 > 2^63 − 1.
        var ws = new ArraySpec(4096, 4096, Dataflow.Ws);
        const long folds = 760_000_000_000_000;
        Assert.Throws<OverflowException>(() => ArrayTiming.Gemm(ws, onePe, Int8, 1, 1, 4096 * folds));
        var fits = ArrayTiming.Gemm(ws, onePe, Int8, 1, 1, 4096 * (folds / 2));
        Assert.Equal(12_287 * (folds / 2), fits.Cycles);
    }
}
