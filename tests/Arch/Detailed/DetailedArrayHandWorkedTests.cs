using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Mapping;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch.Detailed;

/// <summary>
/// Small detailed-array runs whose every count is worked out by hand in the comments: cycles, all PE-cycles (busy or
/// not), busy PE-cycles, values moved, outputs; the block-load keys of a mapping that splits only A along K; the
/// serial PE's operand roles in an input-stationary array; the datapath's per-step work; and the argument checks.
/// </summary>
public class DetailedArrayHandWorkedTests
{
    private static readonly WeightDatatype Int8 = WeightDatatypes.Get("int8");
    private static readonly RomDecoderUnit Int8Rom = new(IntegerTypes.TwosComplement(8));

    // A (2 × 3) and W (2 × 3), row-major. C = A · Wᵀ by hand:
    // C00 = 1·7 − 2·8 + 3·9 = 18, C01 = −1·10 + 2·11 − 3·12 = −24, C10 = 4·7 − 5·8 + 6·9 = 42, C11 = −40 + 55 − 72 = −57.
    private static readonly long[] A = [1, 2, 3, 4, 5, 6];
    private static readonly long[] W = [7, -8, 9, -10, 11, -12];
    private static readonly long[] C = [18, -24, 42, -57];

    /// <summary>A 3 × 2 array of bit-serial PEs, one lane, two weight bits per cycle: INT8 steps take ceil(8 / 2) = 4 cycles.</summary>
    private static DetailedArraySimulator Sim(Dataflow dataflow, Interconnect interconnect = Interconnect.Systolic) =>
        new(new ArraySpec(3, 2, dataflow, interconnect), new BitSerialPe(1, ["int8"], BitsPerCycle: 2, "int8"), Int8, Int8Rom);

    /// <summary>
    /// M = N = 2, K = 3 on the 3 × 2 array, one fold in every dataflow. All PE-cycles count the 6 PEs in every cycle of
    /// the run, so they are 6 · cycles; busy PE-cycles count mapped PEs holding an operand pair, 4 cycles per step.
    /// <list type="bullet">
    /// <item>WS: rows hold the 3 K chunks, columns the 2 outputs; preload 3 cycles (one row per cycle), then token t
    /// reaches PE (r, c) at step t + r + c, so steps run while t + r + c ≤ 1 + 2 + 1 = 4: 5 steps of 4 cycles.
    /// Cycles 3 + 20 = 23, PE-cycles 6 · 23 = 138, busy 6 PEs · 2 tokens · 4 = 48. Feeders read 3 rows · 2 tokens
    /// activations, preload 3 · 2 weights.</item>
    /// <item>IS: the same shape with activations held and weights streamed: 23, 138, 48; activations 6 (preload),
    /// weights 6.</item>
    /// <item>OS systolic: PE (r, c) holds output (r, c), 2 of the 3 rows used; chunk t reaches PE (r, c) at step
    /// t + r + c in every row (the unused one streams zeros), so steps run while t + r + c ≤ 2 + 2 + 1 = 5: 6 steps,
    /// 24 cycles, PE-cycles 144, busy 4 PEs · 3 chunks · 4 = 48; reads 2 rows · 3 and 2 columns · 3.</item>
    /// <item>OS broadcast: one step per chunk: 3 steps, 12 cycles, PE-cycles 72, busy 48, reads 6 and 6.</item>
    /// </list>
    /// DRAM loads of the whole-operand run: A M·K = 6, W N·K = 6.
    /// </summary>
    [Theory]
    [InlineData(Dataflow.Ws, Interconnect.Systolic, 23)]
    [InlineData(Dataflow.Is, Interconnect.Systolic, 23)]
    [InlineData(Dataflow.Os, Interconnect.Systolic, 24)]
    [InlineData(Dataflow.Os, Interconnect.Broadcast, 12)]
    public void OneFoldCountsEveryPeCycleByHand(Dataflow dataflow, Interconnect interconnect, long cycles)
    {
        var result = Sim(dataflow, interconnect).Run(A, 2, ArrayTimingTests.Encode(W, 2, 3));

        Assert.Equal(C, result.Outputs);
        Assert.Equal(1, result.Folds);
        Assert.Equal(cycles, result.Cycles);
        Assert.Equal(new[] { cycles }, result.FoldCycles);
        Assert.Equal(6 * cycles, result.PeCycles);
        Assert.Equal(48, result.BusyPeCycles);
        Assert.Equal(new MeasuredAccesses(6, 6, 6, 6, 0, 0), result.Accesses);
    }

    /// <summary>
    /// M = 2, N = 3, K = 3 on the WS array: the 3 outputs need two column folds (2 + 1 columns), each a preload of 3
    /// cycles and 5 steps of 4 cycles (token t at PE (r, c) at step t + r + c, all 6 PEs counted whether the fold maps
    /// them or not): 23 cycles a fold, 46 in all, PE-cycles 6 · 46 = 276. Busy: 3 rows × (2 + 1) columns · 2 tokens ·
    /// 4 = 72. Outputs: C plus column C·2 = A · (1, 0, −1): 1 − 3 = −2, 4 − 6 = −2.
    /// </summary>
    [Fact]
    public void TwoFoldsAddTheirPeCycles()
    {
        long[] w = [.. W, 1, 0, -1];
        var result = Sim(Dataflow.Ws).Run(A, 2, ArrayTimingTests.Encode(w, 3, 3));

        Assert.Equal(new long[] { 18, -24, -2, 42, -57, -2 }, result.Outputs);
        Assert.Equal(new[] { 23L, 23L }, result.FoldCycles);
        Assert.Equal(46, result.Cycles);
        Assert.Equal(276, result.PeCycles);
        Assert.Equal(72, result.BusyPeCycles);
        Assert.Equal(9, result.Accesses.BLoadedValues);
    }

    /// <summary>
    /// A mapping that splits A along K and keeps W whole (3 × 4 OS array of 2-lane bit-parallel PEs, M = 3, N = 4,
    /// K = 40, A buffer 60 B, W buffer 1 MiB, INT8). By hand: A's 3-token block is 120 B &gt; 60, so K goes in chunks of
    /// 60 · 40 / 120 = 20 (a multiple of the 2-lane granule); W's 4 columns are 160 B and fit. One A block, one W
    /// block: both orders move 120 + 160 B, ties go to A outer; one block per pass, so W stays whole and resident.
    /// Loads: A 3 · 20 per chunk, twice = 120; W 4 · 40 once = 160 (not per chunk, and not 4 · 20). Partial sums: the
    /// 12 outputs written after chunk 0, read before chunk 1. Each chunk is one fold of 20 / 2 = 10 steps, the last
    /// leaving PE (2, 3) at step 9 + 2 + 3 = 14: 15 cycles, 30 in all, PE-cycles 12 · 30 = 360, busy 12 · 10 · 2 = 240.
    /// Feeders read each chunk once: A 3 · 20 · 2 = 120, W 4 · 20 · 2 = 160.
    /// </summary>
    [Fact]
    public void AWeightBlockKeptWholeLoadsOnceAcrossKChunks()
    {
        var array = new ArraySpec(3, 4, Dataflow.Os);
        var pe = new BitParallelPe(2, ["int8"], "int8");
        var mapping = new GemmMapper(array, pe, 60, 1L << 20).Map(3, 4, 40, 120, 160, Int8);
        Assert.Equal((true, false, 20L, 2L), (mapping.ASplitAlongK, mapping.BSplitAlongK, mapping.KStep, mapping.KBlocks));

        var (activations, weights) = ArrayTimingTests.RandomOperands(3, 4, 40, seed: 3, weightRange: 128);
        var sim = new DetailedArraySimulator(array, pe, Int8, Int8Rom);
        var result = sim.Run(mapping, activations, ArrayTimingTests.Encode(weights, 4, 40));

        Assert.Equal(new MeasuredAccesses(120, 160, 120, 160, 12, 12), result.Accesses);
        Assert.Equal(new[] { 15L, 15L }, result.FoldCycles);
        Assert.Equal(30, result.Cycles);
        Assert.Equal(360, result.PeCycles);
        Assert.Equal(240, result.BusyPeCycles);
        Assert.Equal(ArrayTimingTests.ExactProduct(activations, weights, 3, 4, 40), result.Outputs);
    }

    /// <summary>
    /// A bit-serial PE walks the digits of its weight operand only: INT4 weights take 4 one-bit digits. In an
    /// input-stationary array the held operand is the activation and the streamed one the weight, so 100 · (−3) must
    /// come out as −300; walking 4 digits of the activation 100 = 0b1100100 instead would give −3 · 4 = −12.
    /// </summary>
    [Theory]
    [InlineData(Dataflow.Is)]
    [InlineData(Dataflow.Ws)]
    public void TheSerialPeWalksTheWeightNotTheActivation(Dataflow dataflow)
    {
        var int4 = IntegerTypes.TwosComplement(4);
        var sim = new DetailedArraySimulator(new ArraySpec(1, 1, dataflow), new BitSerialPe(1, ["int4"], BitsPerCycle: 1, "int8"),
            WeightDatatypes.Get("int4"), new RomDecoderUnit(int4));
        var result = sim.Run([100], 1, new EncodedWeights(1, 1, [(byte)int4.Encode(-3)]));
        Assert.Equal(new[] { -300L }, result.Outputs);
    }

    /// <summary>
    /// A term-serial PE's work on a step is its slowest lane: 85 = 0b1010101 has the non-adjacent form
    /// 2⁶ + 2⁴ + 2² + 1 (4 terms, 4 cycles at one term per cycle), 1 one term, 0 none (still one cycle).
    /// </summary>
    [Fact]
    public void WorkCyclesAreTheSlowestLanesTerms()
    {
        var datapath = new PeDatapath(new TermSerialPe(3, ["int8"], TermsPerCycle: 1), Int8);
        Assert.Equal(4, datapath.WorkCycles([1, 85, 0]));
        Assert.Equal(4, datapath.WorkCycles([-85, 1]));
        Assert.Equal(1, datapath.WorkCycles([0, 0]));
        Assert.Equal(1, datapath.WorkCycles([]));
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheirReason()
    {
        Assert.Equal("broadcast arrays are output-stationary", Assert.Throws<ArgumentException>(() =>
            new DetailedArraySimulator(new ArraySpec(2, 2, Dataflow.Ws, Interconnect.Broadcast), new BitParallelPe(1, ["int8"]), Int8, Int8Rom)).Message);
        Assert.Equal("the detailed model computes integer datapaths; 'fp16' is floating point", Assert.Throws<ArgumentException>(() =>
            new PeDatapath(new BitParallelPe(1, ["fp16"]), WeightDatatypes.Get("fp16"))).Message);

        var sim = Sim(Dataflow.Os);
        var weights = ArrayTimingTests.Encode(W, 2, 3);
        Assert.Equal("activations hold 5 values, expected 2×3",
            Assert.Throws<ArgumentException>(() => sim.Run(A.AsSpan(0, 5), 2, weights)).Message);

        var mapper = new GemmMapper(new ArraySpec(3, 2, Dataflow.Os), new BitSerialPe(1, ["int8"], BitsPerCycle: 2, "int8"), 1L << 20, 1L << 20);
        // The mapping is for N = 3 (the weights have 2 rows); then for K = 4 (the weights have 3 columns, the
        // activations 2 · 3 values, as many as the weights' K asks for); then M = 3 with 2 · 3 activations.
        Assert.Equal("operands are 2×3 and 2×3, the mapping is for M=2 N=3 K=3",
            Assert.Throws<ArgumentException>(() => sim.Run(mapper.Map(2, 3, 3, 6, 9, Int8), A, weights)).Message);
        Assert.Equal("operands are 2×3 and 2×3, the mapping is for M=2 N=2 K=4",
            Assert.Throws<ArgumentException>(() => sim.Run(mapper.Map(2, 2, 4, 8, 8, Int8), A, weights)).Message);
        Assert.Equal("operands are 3×3 and 2×3, the mapping is for M=3 N=2 K=3",
            Assert.Throws<ArgumentException>(() => sim.Run(mapper.Map(3, 2, 3, 9, 6, Int8), A, weights)).Message);
    }

    /// <summary>
    /// A mapping's M is a long; the simulator indexes tokens with ints. M = 2³² + 2 must fail loudly, not wrap to 2
    /// (which would match the 2 · 3 activations given and run the mapping's steps for the wrong GEMM).
    /// </summary>
    [Fact]
    public void AMappingTooTallForIntIndicesOverflowsLoudly()
    {
        const long m = (1L << 32) + 2;
        var mapping = new GemmMapping(m, 2, 3, 3, 2, 3, false, false, GemmLoopOrder.AOuter, 1, new BlockSteps(true, 3),
            default, default, 0, 0, 4);
        Assert.Throws<OverflowException>(() => Sim(Dataflow.Os).Run(mapping, A, ArrayTimingTests.Encode(W, 2, 3)));
    }
}
