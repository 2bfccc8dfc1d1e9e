using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Fast;
using HwSim.Arch.Mapping;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Numerics.DataTypes;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

public class GemmMappingTests
{
    private static readonly WeightDatatype Int8 = WeightDatatypes.Get("int8");

    public static TheoryData<Dataflow, Interconnect> Dataflows() => new()
    {
        { Dataflow.Ws, Interconnect.Systolic }, { Dataflow.Os, Interconnect.Systolic },
        { Dataflow.Is, Interconnect.Systolic }, { Dataflow.Os, Interconnect.Broadcast },
    };

    /// <summary>
    /// The detailed array runs the mapping's block steps and counts what it moves: block loads, feeder reads, partial
    /// sums. Over shapes and buffers from roomy to too small for one full-depth fold-wide block (INT8: one byte per
    /// value), its counts equal the mapping's, its folds the mapping's fold timings, and its outputs the exact product.
    /// </summary>
    [Theory]
    [MemberData(nameof(Dataflows))]
    public void DetailedRunMeasuresTheMappingsAccessCounts(Dataflow dataflow, Interconnect interconnect)
    {
        var array = new ArraySpec(3, 4, dataflow, interconnect);
        var pe = new BitParallelPe(2, ["int8"], "int8");
        var sim = new DetailedArraySimulator(array, pe, Int8, new RomDecoderUnit(IntegerTypes.TwosComplement(8)));
        int seed = 0, splits = 0, onePerPass = 0;
        foreach (var (aBuffer, bBuffer) in new[] { (1L << 20, 1L << 20), (120L, 1L << 20), (1L << 20, 100L), (60L, 48L), (24L, 24L) })
        {
            var mapper = new GemmMapper(array, pe, aBuffer, bBuffer);
            foreach (int m in new[] { 5, 13 })
            foreach (int n in new[] { 7, 11 })
            foreach (int k in new[] { 9, 40 })
            {
                var mapping = mapper.Map(m, n, k, (long)m * k, (long)n * k, Int8);
                var (activations, weights) = ArrayTimingTests.RandomOperands(m, n, k, seed++, weightRange: 128);
                var result = sim.Run(mapping, activations, ArrayTimingTests.Encode(weights, n, k));
                string at = $"A {aBuffer} B B {bBuffer} B, M={m} N={n} K={k}";
                var measured = result.Accesses;
                Assert.True(mapping.A.LoadedValues == measured.ALoadedValues, $"{at}: A loads {mapping.A.LoadedValues} vs {measured.ALoadedValues}");
                Assert.True(mapping.B.LoadedValues == measured.BLoadedValues, $"{at}: B loads {mapping.B.LoadedValues} vs {measured.BLoadedValues}");
                Assert.True(mapping.A.ReadValues == measured.AReadValues, $"{at}: A reads {mapping.A.ReadValues} vs {measured.AReadValues}");
                Assert.True(mapping.B.ReadValues == measured.BReadValues, $"{at}: B reads {mapping.B.ReadValues} vs {measured.BReadValues}");
                Assert.True(mapping.PartialSumReads == measured.PartialSumReads, $"{at}: partial-sum reads");
                Assert.True(mapping.PartialSumWrites == measured.PartialSumWrites, $"{at}: partial-sum writes");
                // One byte per value: bytes and values agree.
                Assert.Equal(mapping.A.LoadedValues, mapping.A.LoadedBytes);
                Assert.Equal(mapping.B.ReadValues, mapping.B.ReadBytes);
                Assert.Equal(mapping.Folds, result.Folds);
                Assert.Equal(mapping.Cycles, result.Cycles);
                Assert.Equal(mapping.BusyPeCycles, result.BusyPeCycles);
                Assert.Equal(mapping.Steps.SelectMany(s => Enumerable.Repeat(s.Timing.FoldCycles, (int)s.Timing.Mapping.Folds)), result.FoldCycles);
                Assert.Equal(ArrayTimingTests.ExactProduct(activations, weights, m, n, k), result.Outputs);
                Assert.All(mapping.Steps, s => Assert.True(s.ALoadBytes <= aBuffer && s.BLoadBytes <= bBuffer, $"{at}: a block exceeds its buffer"));
                if (mapping.KBlocks > 1) splits++;
                if (mapping.KBlocks > 1 && mapping.PassBlocks == 1) onePerPass++;
            }
        }
        Assert.True(splits >= 10, $"only {splits} mappings split K");
        Assert.InRange(onePerPass, 1, splits - 1); // passes of one and of several inner blocks occur
    }

    /// <summary>
    /// LLaMA-3-8B down_proj (K = 14336, N = 4096) over a 256-token prompt on the FP16 baseline (24 × 32 OS array,
    /// 256 KB buffer halves). By hand: A 256·14336·2 = 7,340,032 B in 11 blocks of 24 tokens (688,128 B), B
    /// 117,440,512 B in 128 blocks of 32 columns (917,504 B); neither fits, so K splits into the fewest equal chunks
    /// that fit both: B allows 262,144·14336/917,504 = 4096 values, so 4 chunks of 3584. Re-reading A per B block
    /// (B + 128·A) moves fewer bytes than B per A block (A + 11·B): B is read once, A 128 times.
    /// </summary>
    [Fact]
    public void DownProjSplitsKIntoChunksThatFitTheHalfBuffers()
    {
        var spec = Presets.Find("fp16-baseline")!;
        var mapping = GemmMapper.For(spec).Map(256, 4096, 14336, 256L * 14336 * 2, 14336L * 4096 * 2, WeightDatatypes.Get("fp16"));
        Assert.Equal((24L, 32L, 3584L), (mapping.MStep, mapping.NStep, mapping.KStep));
        Assert.True(mapping.ASplitAlongK && mapping.BSplitAlongK);
        Assert.Equal(GemmLoopOrder.BOuter, mapping.Order);
        Assert.Equal(128 * 7_340_032L, mapping.A.LoadedBytes);
        Assert.Equal(117_440_512L, mapping.B.LoadedBytes);
        Assert.All(mapping.Steps, s => Assert.True(s.ALoadBytes <= 262_144 && s.BLoadBytes <= 262_144));
        // Compute is unchanged by the split: a broadcast OS fold costs its steps, however K is chunked.
        var whole = HwSim.Arch.Timing.ArrayTiming.Gemm(spec.Array, spec.Pe, WeightDatatypes.Get("fp16"), 256, 4096, 14336);
        Assert.Equal(whole.Cycles, mapping.Cycles);
        // Partial sums: every output but in the last chunk is written back, and read before the other three.
        Assert.Equal(3 * 256 * 4096L, mapping.PartialSumWrites);
        Assert.Equal(3 * 256 * 4096L, mapping.PartialSumReads);
    }

    /// <summary>
    /// A decode step of a 4096 × 4096 BitMoD-4 layer (4.0625 bits: 8,519,680 B) on the bitmod preset (32 columns):
    /// 33 half-buffer blocks would be 125 columns, whole folds make it 128 columns = 266,240 B, over the 262,144 B half.
    /// The widest fitting whole-fold block is 262,144 / 2080 B per column = 126 → 96 columns, 43 blocks, K whole.
    /// </summary>
    [Fact]
    public void ABlockRoundedUpToWholeFoldsTakesFewerFoldsRatherThanOutgrowItsBuffer()
    {
        var spec = Presets.Find("bitmod")!;
        var mapping = GemmMapper.For(spec).Map(1, 4096, 4096, 4096, 8_519_680, WeightDatatypes.Get("bitmod4"));
        Assert.Equal((96L, 43L, 1L), (mapping.NStep, mapping.NBlocks, mapping.KBlocks));
        Assert.Equal(8_519_680, mapping.B.LoadedBytes);
        Assert.All(mapping.Steps, s => Assert.True(s.BLoadBytes <= 262_144));
    }

    /// <summary>
    /// The fast model's tiles are the mapping's steps and its byte counters (which the energy model prices) are the
    /// mapping's counts: one FP16 GEMM on the FP16 baseline whose weight blocks must split K (K = 14336).
    /// </summary>
    [Fact]
    public void FastRunCountsAreTheMappingsCounts()
    {
        const long m = 64, n = 256, k = 14336;
        var spec = Presets.Find("fp16-baseline")!;
        var op = new TraceOp(0, "gemm", OpKind.Gemm, -1, Phase.Standalone, new GemmShape(m, n, k), default,
            [
                new Operand("A", OperandRole.Activation, false, m * k),
                new Operand("B", OperandRole.Weight, false, k * n),
                new Operand("C", OperandRole.Activation, true, m * n),
            ], []);
        var run = FastSimulator.Run(spec, new Workload("gemm", null, 1, 1, 0, Precision.Fp16, [op], []), RunFormats.Default(spec));
        var mapping = GemmMapper.For(spec).Map(m, n, k, m * k * 2, k * n * 2, WeightDatatypes.Get("fp16"));
        var result = Assert.Single(run.Ops);
        Assert.True(mapping.KBlocks > 1);
        Assert.Equal(mapping.Steps.Count, result.Tiles);
        Assert.Equal(mapping.Cycles, result.ComputeCycles);
        Assert.Equal(mapping.A.LoadedBytes + mapping.B.LoadedBytes, result.DramReadBytes);
        Assert.Equal(m * n * 2, result.DramWriteBytes);
        Assert.Equal(mapping.B.LoadedBytes, result.WeightSramWriteBytes);
        Assert.Equal(mapping.B.ReadBytes, result.WeightSramReadBytes);
        Assert.Equal(mapping.A.ReadBytes + mapping.PartialSumReads * 4, result.ActivationSramReadBytes);
        Assert.Equal(mapping.A.LoadedBytes + mapping.PartialSumWrites * 4 + m * n * 2, result.ActivationSramWriteBytes);
    }
}
