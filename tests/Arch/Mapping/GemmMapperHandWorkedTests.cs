using HwSim.Arch.Mapping;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch.Mapping;

/// <summary>
/// Small GEMMs mapped by hand: block edges, the fewer-folds candidate, K chunks, loop order, pass size and every
/// step's DRAM loads, each derived in the case's comment from the rules in GemmMapper's summary. Byte counts are
/// given per case (2 B, 1 B or half a byte per value) and need not match the datatype, which only sets fold timing.
/// Notation: "A block 4 B" is the A block budget (aBlockBytes), psum the accumulator bytes of one partial sum.
/// </summary>
public class GemmMapperHandWorkedTests
{
    private static readonly WeightDatatype Int8 = WeightDatatypes.Get("int8");

    private static GemmMapping Map(int rows, int cols, Dataflow dataflow, int width, int accumulatorBits,
        long aBlock, long bBlock, long m, long n, long k, long aBytes, long bBytes) =>
        new GemmMapper(new ArraySpec(rows, cols, dataflow), new BitParallelPe(width, ["int8"], "int8", accumulatorBits), aBlock, bBlock)
            .Map(m, n, k, aBytes, bBytes, Int8);

    private static void AssertPlan(GemmMapping mapping, (long M, long N, long K) steps, bool aSplit, bool bSplit, GemmLoopOrder order, long passBlocks)
    {
        Assert.Equal(steps, (mapping.MStep, mapping.NStep, mapping.KStep));
        Assert.Equal((aSplit, bSplit), (mapping.ASplitAlongK, mapping.BSplitAlongK));
        Assert.Equal(order, mapping.Order);
        Assert.Equal(passBlocks, mapping.PassBlocks);
    }

    /// <summary>Every step's loads (bytes and values of A and B) and partial sums, in loop order.</summary>
    private static void AssertSteps(GemmMapping mapping, long[] aLoadBytes, long[] bLoadBytes, long[] aLoadValues, long[] bLoadValues, long[] psumReads, long[] psumWrites)
    {
        var steps = mapping.Steps.ToArray();
        Assert.Equal(aLoadBytes, steps.Select(s => s.ALoadBytes));
        Assert.Equal(bLoadBytes, steps.Select(s => s.BLoadBytes));
        Assert.Equal(aLoadValues, steps.Select(s => s.ALoadValues));
        Assert.Equal(bLoadValues, steps.Select(s => s.BLoadValues));
        Assert.Equal(psumReads, steps.Select(s => s.PartialSumReads));
        Assert.Equal(psumWrites, steps.Select(s => s.PartialSumWrites));
        Assert.Equal((aLoadBytes.Sum(), bLoadBytes.Sum()), (mapping.A.LoadedBytes, mapping.B.LoadedBytes));
        Assert.Equal((aLoadValues.Sum(), bLoadValues.Sum()), (mapping.A.LoadedValues, mapping.B.LoadedValues));
        Assert.Equal((psumReads.Sum(), psumWrites.Sum()), (mapping.PartialSumReads, mapping.PartialSumWrites));
    }

    /// <summary>
    /// 2 × 2 WS array, width 1, 16-bit accumulator; M = 11, N = 4, K = 4; A 44 B (1 B/value), B 32 B (2 B/value);
    /// A block 23 B, B block 7 B.
    /// A: min(ceil(44/23), ceil(11/2)) = 2 blocks → 6 rows, whose 24 B exceed 23 B: the fewer-folds candidate is the
    /// widest whole folds that fit, 23·11/44 = 5 → 4 rows (ceil(11/3) = 4). B: min(5, 2) = 2 blocks of 2 columns,
    /// 16 B each, over 7 B: K splits. Granule (WS: K on rows) 2 values.
    /// 4 rows: 3 A blocks of 16 B fit; B allows 7·4/16 = 1 → one granule, 2 values: 2 chunks of 2. A outer moves
    /// 44 + 3·32 = 140 B; B outer (split, one inner block per pass: 23 / (2·4·2) = 1) 3·32 + 2·44 = 184 B.
    /// 6 rows: A splits too (24 B), 2 chunks; A outer 2·44 + 2·32 = 152 B = B outer 2·32 + 2·44. So 4 rows, A outer,
    /// 140 B. Steps per A block (16, 16, 12 B): B block 0 chunk 0, chunk 1, B block 1 chunk 0, chunk 1; B chunks 8 B.
    /// </summary>
    [Fact]
    public void FewerFoldsAvoidSplittingAAndBIsReadByChunk()
    {
        var mapping = Map(2, 2, Dataflow.Ws, 1, 16, 23, 7, 11, 4, 4, 44, 32);
        AssertPlan(mapping, (4, 2, 2), false, true, GemmLoopOrder.AOuter, 1);
        long[] ablock(long bytes) => [bytes, 0, 0, 0];
        AssertSteps(mapping,
            [.. ablock(16), .. ablock(16), .. ablock(12)],
            Enumerable.Repeat(8L, 12).ToArray(),
            [.. ablock(16), .. ablock(16), .. ablock(12)],
            Enumerable.Repeat(4L, 12).ToArray(),
            [0, 8, 0, 8, 0, 8, 0, 8, 0, 6, 0, 6],
            [8, 0, 8, 0, 8, 0, 8, 0, 6, 0, 6, 0]);
        Assert.Equal([0L, 2, 0, 2], mapping.Steps.Take(4).Select(s => s.K0));
        Assert.Equal([0L, 0, 2, 2], mapping.Steps.Take(4).Select(s => s.N0));
        Assert.Equal(12, mapping.Steps.LongCount);
    }

    /// <summary>
    /// 1 × 4 WS array, width 2, 8-bit accumulator (psum 1 B); M = 4, N = 2, K = 6; A 24 B (1 B/value), B 6 B
    /// (half a byte per value); A block 4 B, B block 6 B.
    /// A: min(6, 4) = 4 blocks of one row, 6 B each, over 4 B: split. B: one block of 2 columns, 6 B: fits exactly.
    /// Granule 2·1 = 2; A allows 4·6/6 = 4 values: ceil(6/4) = 2 chunks of 4 (3 rounded up to the granule), then 2.
    /// A outer: one B block, passes of one; A read once: 24 + 4·6 = 48 B. B outer: passes of 4 / (2·1·1) = 2 A blocks,
    /// so 2 passes; B whole: 6 + 1·24 = 30 B. B outer: for each pass, chunk 0 of both A blocks, then chunk 1.
    /// A chunks 4 and 2 B (values 4 and 2); B loads its 6 B (12 values) with the first step.
    /// </summary>
    [Fact]
    public void PassesOfTwoInnerBlocksWalkTheChunksTogether()
    {
        var mapping = Map(1, 4, Dataflow.Ws, 2, 8, 4, 6, 4, 2, 6, 24, 6);
        AssertPlan(mapping, (1, 2, 4), true, false, GemmLoopOrder.BOuter, 2);
        Assert.Equal([0L, 1, 0, 1, 2, 3, 2, 3], mapping.Steps.Select(s => s.M0));
        Assert.Equal([0L, 0, 4, 4, 0, 0, 4, 4], mapping.Steps.Select(s => s.K0));
        Assert.Equal([4L, 4, 2, 2, 4, 4, 2, 2], mapping.Steps.Select(s => s.Depth));
        AssertSteps(mapping,
            [4, 4, 2, 2, 4, 4, 2, 2],
            [6, 0, 0, 0, 0, 0, 0, 0],
            [4, 4, 2, 2, 4, 4, 2, 2],
            [12, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 2, 2, 0, 0, 2, 2],
            [2, 2, 0, 0, 2, 2, 0, 0]);
    }

    /// <summary>
    /// 1 × 3 IS array, width 1, psum 2 B; M = 11, N = 1, K = 3; A 17 B, B 3 B; A block 3 B, B block 1 B.
    /// A: min(ceil(17/3), 11) = 6 blocks → 2 rows, up to ceil(17·2/11) = 4 B: the fewer-folds candidate is 1 row.
    /// B: one column of 3 B over 1 B: split into 3 chunks of one value (granule 1).
    /// 1 row: 11 A blocks of at most 2 B fit; A outer 17 + 11·3 = 50 B = B outer (split, passes of one) 11·3 + 17.
    /// 2 rows: A splits too; A outer 17 + 6·3 = 35 B = B outer 6·3 + 17: fewer bytes than the first candidate, and
    /// the tie goes to A outer. A stripes: 17·2k/11 rounded down at each edge: 3, 3, 3, 3, 3 and 2 B (the last row
    /// alone), chunks of 1 B, and 0, 1, 1 B for the last stripe. B loads its 1 B chunk with every step.
    /// </summary>
    [Fact]
    public void TheWiderCandidateWinsWhenItMovesFewerBytesAndTiesGoToAOuter()
    {
        var mapping = Map(1, 3, Dataflow.Is, 1, 16, 3, 1, 11, 1, 3, 17, 3);
        AssertPlan(mapping, (2, 1, 1), true, true, GemmLoopOrder.AOuter, 1);
        long[] full = [1, 1, 1], fullValues = [2, 2, 2];
        AssertSteps(mapping,
            [.. full, .. full, .. full, .. full, .. full, 0, 1, 1],
            Enumerable.Repeat(1L, 18).ToArray(),
            [.. fullValues, .. fullValues, .. fullValues, .. fullValues, .. fullValues, 1, 1, 1],
            Enumerable.Repeat(1L, 18).ToArray(),
            [0, 2, 2, 0, 2, 2, 0, 2, 2, 0, 2, 2, 0, 2, 2, 0, 1, 1],
            [2, 2, 0, 2, 2, 0, 2, 2, 0, 2, 2, 0, 2, 2, 0, 1, 1, 0]);
        Assert.Equal([(5L, 3L), (1L, 3L)], mapping.Steps.Groups.Select(g => (g.Blocks, (long)g.Pattern.Length)));
    }

    /// <summary>
    /// 2 × 1 OS array, width 1, psum 2 B; M = N = 1, K = 3; A 6 B, B 2 B; A block 3 B, B block 4 B.
    /// A's 6 B split into 3 chunks of one value (3·3/6 = 1; OS granule 1); B fits. A outer: 6 + 2 = 8 B = B outer
    /// 2 + 6: A outer. One inner block per pass (3 / (1·1·2) = 1, one block anyway): B stays whole and resident,
    /// loaded once (2 B, 3 values); A loads a 2 B chunk with every step.
    /// </summary>
    [Fact]
    public void AnInnerBlockAloneInItsPassStaysWhole()
    {
        var mapping = Map(2, 1, Dataflow.Os, 1, 16, 3, 4, 1, 1, 3, 6, 2);
        AssertPlan(mapping, (1, 1, 1), true, false, GemmLoopOrder.AOuter, 1);
        AssertSteps(mapping, [2, 2, 2], [2, 0, 0], [1, 1, 1], [3, 0, 0], [0, 1, 1], [1, 1, 0]);
    }

    /// <summary>
    /// 1 × 3 OS array, width 2, psum 2 B; M = 3, N = 2, K = 1; A 6 B, B 4 B; A block 1 B, B block 2 B.
    /// A: 3 blocks of one row, 2 B each; B: one block of 2 columns, 4 B: both exceed their buffers, but K = 1 is less
    /// than one granule (OS: width 2), so there is one chunk and nothing splits (each block is the smallest unit of K
    /// work). A outer 6 + 3·4 = 18 B, B outer 4 + 6 = 10 B: B outer, the 3 A blocks in one pass.
    /// </summary>
    [Fact]
    public void BlocksOverTheirBuffersStayWholeWhenKIsOneGranule()
    {
        var mapping = Map(1, 3, Dataflow.Os, 2, 16, 1, 2, 3, 2, 1, 6, 4);
        AssertPlan(mapping, (1, 2, 1), false, false, GemmLoopOrder.BOuter, 3);
        AssertSteps(mapping, [2, 2, 2], [4, 0, 0], [1, 1, 1], [2, 0, 0], [0, 0, 0], [0, 0, 0]);
    }

    /// <summary>
    /// 1 × 3 WS array, width 1, psum 2 B; M = 4, N = 1, K = 2; A 16 B, B 4 B; A block 7 B, B buffer roomy.
    /// A: min(3, 4) = 3 blocks → 2 rows, 8 B, over 7 B: the fewer-folds candidate is 7·4/16 = 1 row.
    /// 1 row: 4 blocks of 4 B, nothing splits; A outer 16 + 4·4 = 32 B, B outer 4 + 16 = 20 B: B outer, 4 steps.
    /// 2 rows: A splits into 2 chunks (7·2/8 = 1 value); A outer 16 + 2·4 = 24 B, B outer (passes of
    /// 7 / (1·2·2) = 1 block, B whole) 4 + 16 = 20 B, 2·2 = 4 steps. Same bytes, same steps: the first candidate
    /// (fewer folds per block) stays.
    /// </summary>
    [Fact]
    public void ATieInBytesAndStepsKeepsTheFewerFoldsCandidate()
    {
        var mapping = Map(1, 3, Dataflow.Ws, 1, 16, 7, 1 << 20, 4, 1, 2, 16, 4);
        AssertPlan(mapping, (1, 1, 2), false, false, GemmLoopOrder.BOuter, 4);
        AssertSteps(mapping, [4, 4, 4, 4], [4, 0, 0, 0], [2, 2, 2, 2], [2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]);
    }

    /// <summary>
    /// 2 × 1 OS array, width 1, 32-bit accumulator (psum 4 B); M = 1, N = 2, K = 7; A 14 B, B 28 B; A block 12 B,
    /// B block 18 B. A: one row of 14 B over 12 B: 12·7/14 = 6 values → 2 chunks of 4 and 3. B: 2 blocks of one
    /// column, 14 B each, fit. A outer: passes of min(12 / (1·1·4), 2) = 2 B blocks, one pass: 14 + 28 = 42 B;
    /// B outer 28 + 2·14 = 56 B. A outer, both B blocks in the pass, so B passes by chunk too:
    /// chunk 0 of B blocks 0 and 1, then chunk 1. A chunks 14·4/7 = 8 B and 6 B, loaded with the pass's first
    /// block; B chunks 8 and 6 B with every step.
    /// </summary>
    [Fact]
    public void AnInnerOperandSharingItsPassIsReadByChunk()
    {
        var mapping = Map(2, 1, Dataflow.Os, 1, 32, 12, 18, 1, 2, 7, 14, 28);
        AssertPlan(mapping, (1, 1, 4), true, true, GemmLoopOrder.AOuter, 2);
        Assert.Equal([0L, 1, 0, 1], mapping.Steps.Select(s => s.N0));
        Assert.Equal([0L, 0, 4, 4], mapping.Steps.Select(s => s.K0));
        AssertSteps(mapping, [8, 0, 6, 0], [8, 8, 6, 6], [4, 0, 3, 0], [4, 4, 3, 3], [0, 0, 1, 1], [1, 1, 0, 0]);
        Assert.Equal(4, mapping.PartialSumBytes);
        Assert.Equal((8L, 8L), (mapping.PartialSumReadBytes, mapping.PartialSumWriteBytes));
    }

    /// <summary>
    /// 2 × 2 OS array, width 1, psum 1 B; M = N = 1, K = 8; A 16 B, B 8 B; A block 16 B, B block 6 B. A fills its
    /// buffer exactly and does not split; B splits: 6·8/8 = 6 values → 2 chunks of 4. A outer 16 + 8 = 24 B = B outer
    /// 8 + 16: A outer; A loads whole (16 B, 8 values) once, B a 4 B chunk per step.
    /// </summary>
    [Fact]
    public void ABlockThatFillsItsBufferExactlyDoesNotSplit()
    {
        var mapping = Map(2, 2, Dataflow.Os, 1, 8, 16, 6, 1, 1, 8, 16, 8);
        AssertPlan(mapping, (1, 1, 4), false, true, GemmLoopOrder.AOuter, 1);
        AssertSteps(mapping, [16, 0], [4, 4], [8, 0], [4, 4], [0, 1], [1, 0]);
    }

    /// <summary>
    /// 1 × 4 WS array, width 1, psum 1 B; M = 3, N = 1, K = 4; A 6 B, B 8 B; A block 5 B, B block 2 B.
    /// A: min(2, 3) = 2 blocks of 2 and 1 rows (4 and 2 B: fit). B: one column of 8 B over 2 B: 4 chunks of one value.
    /// A outer: 6 + 2·8 = 22 B. B outer: passes of min(5 / (1 column · 2 rows · 1 B), 2) = 2 A blocks, one pass:
    /// 8 + 6 = 14 B (with the pass sized on 2 × 2 outputs it would be one block, two passes, 2·8 + 6 = 22 B, a tie
    /// that A outer takes). B outer; A shares the pass, so it passes by chunk: A chunks 1 B (block 0) and 0, 1, 0, 1 B
    /// (block 1: 2 B over 4 chunks), B's 2 B chunk with the pass's first block.
    /// </summary>
    [Fact]
    public void ThePassOfBOuterIsSizedOnItsOwnBlocksOutputs()
    {
        var mapping = Map(1, 4, Dataflow.Ws, 1, 8, 5, 2, 3, 1, 4, 6, 8);
        AssertPlan(mapping, (2, 1, 1), true, true, GemmLoopOrder.BOuter, 2);
        AssertSteps(mapping, [1, 0, 1, 1, 1, 0, 1, 1], [2, 0, 2, 0, 2, 0, 2, 0], [2, 1, 2, 1, 2, 1, 2, 1], [1, 0, 1, 0, 1, 0, 1, 0],
            [0, 0, 2, 1, 2, 1, 2, 1], [2, 1, 2, 1, 2, 1, 0, 0]);
    }

    /// <summary>
    /// 2 × 3 IS array, width 1, psum 2 B; M = 1, N = 5, K = 3; A 6 B, B 15 B; A block 5 B, B block 4 B.
    /// A: one row of 6 B over 5 B; B: min(4, 2) = 2 blocks of 3 and 2 columns (9 and 6 B) over 4 B. Granule (IS: K on
    /// rows) 2; A allows 5·3/6 = 2, B 4·3/9 = 1 → one granule: 2 chunks of 2 and 1 values. A outer: passes of
    /// 5 / (1 · 3 · 2) → 1 block, 2 passes: 2·6 + 15 = 27 B; B outer: one pass of the single A block, B read once,
    /// A once per B block: 15 + 2·6 = 27 B. Tie: A outer, one B block per pass (a pass sized on 1 × 1 outputs would
    /// hold 2). A chunks 4, 2 B at every step; B chunks 6, 3 B and 4, 2 B.
    /// </summary>
    [Fact]
    public void ThePassOfAOuterIsSizedOnItsOwnBlocksOutputs()
    {
        var mapping = Map(2, 3, Dataflow.Is, 1, 16, 5, 4, 1, 5, 3, 6, 15);
        AssertPlan(mapping, (1, 3, 2), true, true, GemmLoopOrder.AOuter, 1);
        AssertSteps(mapping, [4, 2, 4, 2], [6, 3, 4, 2], [2, 1, 2, 1], [6, 3, 4, 2], [0, 3, 0, 2], [3, 0, 2, 0]);
    }

    /// <summary>
    /// 4 × 1 IS array, width 2 (granule 2 · 4 = 8 values), psum 4 B; M = 1, N = 4, K = 2; A 4 B, B 8 B; A block 4 B,
    /// B block 3 B. B: min(3, 4) = 3 blocks → 2 columns, 4 B, over 3 B: the fewer-folds candidate is 3·4/8 = 1 column.
    /// 1 column: 4 blocks of 2 B, nothing splits; A outer 4 + 8 = 12 B (B outer 8 + 4·4 = 24 B), 4 steps.
    /// 2 columns: B over its buffer, but K = 2 is below one granule: one chunk; A outer 4 + 8 = 12 B (B outer
    /// 8 + 2·4 = 16 B), 2 steps. Same bytes, fewer steps: 2 columns. A loads its 4 B (2 values) once, each B block
    /// 4 B (4 values).
    /// </summary>
    [Fact]
    public void ATieInBytesGoesToFewerSteps()
    {
        var mapping = Map(4, 1, Dataflow.Is, 2, 32, 4, 3, 1, 4, 2, 4, 8);
        AssertPlan(mapping, (1, 2, 2), false, false, GemmLoopOrder.AOuter, 2);
        AssertSteps(mapping, [4, 0], [4, 4], [2, 0], [4, 4], [0, 0], [0, 0]);
    }

    /// <summary>
    /// 2 × 1 IS array, width 2 (granule 4), psum 4 B; M = 4, N = 2, K = 9; A 62 B, B 31 B; A block 17 B, B block 28 B.
    /// A: min(4, 2) = 2 blocks of 2 rows, 31 B each, over 17 B: 17·9/31 = 4 values → ceil(9/4) = 3 chunks of 3.
    /// B: 2 blocks of one column (15 and 16 B), fit. A outer: passes of min(17 / (2 rows · 1 column · 4 B), 2) = 2 B
    /// blocks, one pass per A block: 62 + 2·31 = 124 B (a pass sized on 2 × 2 outputs would hold one block: two
    /// passes, 2·62 + 2·31 = 186 B); B outer (B whole, one pass of both A blocks) 31 + 2·62 = 155 B. A outer; B shares
    /// the pass, so it passes by chunk. Per A block: A chunks of 31·3/9 = 10, 10, 11 B with the pass's first block;
    /// B chunks 5, 5, 5 B (15 B) and 5, 5, 6 B (16 B) at every step.
    /// </summary>
    [Fact]
    public void TheAOuterCostSizesItsPassOnItsOwnBlocksOutputs()
    {
        var mapping = Map(2, 1, Dataflow.Is, 2, 32, 17, 28, 4, 2, 9, 62, 31);
        AssertPlan(mapping, (2, 1, 3), true, true, GemmLoopOrder.AOuter, 2);
        long[] aLoads = [10, 0, 10, 0, 11, 0], bLoads = [5, 5, 5, 5, 5, 6], aValues = [6, 0, 6, 0, 6, 0];
        long[] reads = [0, 0, 2, 2, 2, 2], writes = [2, 2, 2, 2, 0, 0];
        AssertSteps(mapping, [.. aLoads, .. aLoads], [.. bLoads, .. bLoads], [.. aValues, .. aValues],
            Enumerable.Repeat(3L, 12).ToArray(), [.. reads, .. reads], [.. writes, .. writes]);
    }

    /// <summary>
    /// Byte shares past 64-bit products: a 1 × 1 WS array, M = 2²⁰ + 1, N = 1, K = 2²⁵, A (2²⁰ + 1)·2²⁵ B (one per
    /// value), B 2²⁵ B; A block 2⁴⁴ + 2²⁵ B, B roomy. A: 2 blocks, of 2¹⁹ + 1 rows ((2¹⁹ + 1)·2²⁵ = 2⁴⁴ + 2²⁵ B, filling
    /// its buffer exactly) and 2¹⁹ rows (2⁴⁴ B); B outer (2²⁵ + A against A + 2·2²⁵). A share's product (A bytes times
    /// an odd row edge) exceeds a long.
    /// </summary>
    [Fact]
    public void SharesOfHugeOperandsAreExact()
    {
        const long m = (1L << 20) + 1, k = 1L << 25;
        var mapping = Map(1, 1, Dataflow.Ws, 1, 32, (1L << 44) + k, 1L << 40, m, 1, k, m * k, k);
        AssertPlan(mapping, ((1L << 19) + 1, 1, k), false, false, GemmLoopOrder.BOuter, 2);
        Assert.Equal([(1L << 44) + k, 1L << 44], mapping.Steps.Select(s => s.ALoadBytes));
        Assert.Equal([k, 0], mapping.Steps.Select(s => s.BLoadBytes));
        Assert.Equal(m * k, mapping.A.LoadedBytes);
    }
}
