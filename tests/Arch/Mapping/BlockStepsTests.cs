using HwSim.Arch.Mapping;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch.Mapping;

/// <summary>
/// The grouped step list read by index and by enumeration, against offsets worked out by hand and a brute-force
/// cover of the output cube; the mapper's caches and its buffer halves.
/// </summary>
public class BlockStepsTests
{
    private static readonly WeightDatatype Int8 = WeightDatatypes.Get("int8");
    private static readonly PeSpec Pe = new BitParallelPe(1, ["int8"], "int8");

    /// <summary>
    /// A outer: a 2 × 1 WS array, M = 5, N = 2, K = 2, one byte per value (A 10 B, B 4 B), A blocks of 4 B, B of 2 B.
    /// By hand: A takes min(ceil(10/4), ceil(5/2)) = 3 blocks of 2 rows (4, 4 and 2 B: fit), B 2 blocks of 1 column;
    /// A outer moves 10 + 3·4 = 22 B, B outer 4 + 2·10 = 24 B, so A is outer. The first two outer blocks (2 rows, 4 B)
    /// form one group of two blocks, the last (1 row, 2 B) its own: M0 0 0 2 2 4 4, N0 0 1 0 1 0 1.
    /// </summary>
    [Fact]
    public void AOuterStepsReadByIndexCarryEachOuterBlocksOffset()
    {
        var mapping = new GemmMapper(new ArraySpec(2, 1, Dataflow.Ws), Pe, 4, 2).Map(5, 2, 2, 10, 4, Int8);
        Assert.Equal(GemmLoopOrder.AOuter, mapping.Order);
        var steps = mapping.Steps;
        Assert.True(steps.AOuter);
        Assert.Equal(2, steps.OuterStride);
        Assert.Equal([(2L, 2L), (1L, 2L)], steps.Groups.Select(g => (g.Blocks, (long)g.Pattern.Length)));
        Assert.Equal(6, steps.Count);
        Assert.Equal(6, steps.LongCount);
        var byIndex = Enumerable.Range(0, 6).Select(i => steps[i]).ToArray();
        Assert.Equal([0L, 0, 2, 2, 4, 4], byIndex.Select(s => s.M0));
        Assert.Equal([0L, 1, 0, 1, 0, 1], byIndex.Select(s => s.N0));
        Assert.Equal([2L, 2, 2, 2, 1, 1], byIndex.Select(s => s.Rows));
        Assert.Equal(byIndex, steps.ToArray());
        Assert.Equal(byIndex, ((System.Collections.IEnumerable)steps).Cast<BlockStep>());
    }

    /// <summary>
    /// B outer, the mirror case: a 1 × 2 WS array, M = 2, N = 5, K = 2 (A 4 B, B 10 B), A blocks of 2 B, B of 4 B.
    /// A: 2 blocks of 1 row; B: 3 blocks of 2, 2 and 1 columns (4, 4, 2 B). A outer moves 4 + 2·10 = 24 B, B outer
    /// 10 + 3·4 = 22 B: B is outer, N0 0 0 2 2 4 4, M0 0 1 0 1 0 1.
    /// </summary>
    [Fact]
    public void BOuterStepsReadByIndexCarryEachOuterBlocksOffset()
    {
        var mapping = new GemmMapper(new ArraySpec(1, 2, Dataflow.Ws), Pe, 2, 4).Map(2, 5, 2, 4, 10, Int8);
        Assert.Equal(GemmLoopOrder.BOuter, mapping.Order);
        var steps = mapping.Steps;
        Assert.False(steps.AOuter);
        Assert.Equal(2, steps.OuterStride);
        Assert.Equal([(2L, 2L), (1L, 2L)], steps.Groups.Select(g => (g.Blocks, (long)g.Pattern.Length)));
        var byIndex = Enumerable.Range(0, 6).Select(i => steps.At(i)).ToArray();
        Assert.Equal([0L, 0, 2, 2, 4, 4], byIndex.Select(s => s.N0));
        Assert.Equal([0L, 1, 0, 1, 0, 1], byIndex.Select(s => s.M0));
        Assert.Equal([2L, 2, 2, 2, 1, 1], byIndex.Select(s => s.Cols));
        Assert.Equal(byIndex, steps);
    }

    /// <summary>An index outside the steps names itself in the exception, whichever side it falls.</summary>
    [Fact]
    public void IndexOutsideTheStepsIsRejected()
    {
        var steps = new GemmMapper(new ArraySpec(2, 1, Dataflow.Ws), Pe, 4, 2).Map(5, 2, 2, 10, 4, Int8).Steps;
        Assert.Equal(-1L, Assert.Throws<ArgumentOutOfRangeException>(() => steps.At(-1)).ActualValue);
        Assert.Equal(6L, Assert.Throws<ArgumentOutOfRangeException>(() => steps.At(6)).ActualValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => steps[6]);
    }

    /// <summary>
    /// Brute force: over shapes, byte counts, buffers and dataflows, the steps read by index tile the M × N × K cube
    /// exactly once (every multiply-accumulate in exactly one step) and read the same as the enumeration.
    /// </summary>
    [Theory]
    [InlineData(Dataflow.Ws)]
    [InlineData(Dataflow.Os)]
    [InlineData(Dataflow.Is)]
    public void StepsTileTheOutputCubeExactlyOnce(Dataflow dataflow)
    {
        var array = new ArraySpec(2, 3, dataflow);
        int cases = 0, repeated = 0;
        foreach (var (aBuffer, bBuffer) in new[] { (1L << 20, 1L << 20), (6L, 1L << 20), (1L << 20, 9L), (8L, 6L), (3L, 4L), (1L, 1L), (2L, 1L), (1L, 2L) })
        {
            var mapper = new GemmMapper(array, Pe, aBuffer, bBuffer);
            foreach (int m in new[] { 1, 5, 7 })
            foreach (int n in new[] { 4, 7 })
            foreach (int k in new[] { 3, 8 })
            // One byte per value; few bytes, so that a partial last block can load as many bytes as a full one.
            foreach (var (aBytes, bBytes) in new[] { ((long)m * k, (long)n * k), (3L, 3L), (m, n) })
            {
                var steps = mapper.Map(m, n, k, aBytes, bBytes, Int8).Steps;
                var covered = new int[m, n, k];
                for (long i = 0; i < steps.LongCount; i++)
                {
                    var s = steps.At(i);
                    for (long r = s.M0; r < s.M0 + s.Rows; r++)
                    for (long c = s.N0; c < s.N0 + s.Cols; c++)
                    for (long d = s.K0; d < s.K0 + s.Depth; d++)
                        covered[r, c, d]++;
                }
                string at = $"A {aBytes} B in {aBuffer} B, B {bBytes} B in {bBuffer} B, M={m} N={n} K={k}";
                Assert.True(covered.Cast<int>().All(x => x == 1), $"{at}: the steps do not tile the cube once");
                Assert.Equal(Enumerable.Range(0, steps.Count).Select(i => steps[i]), steps);
                cases++;
                if (steps.Groups.Any(g => g.Blocks > 1)) repeated++;
            }
        }
        Assert.True(repeated >= 5, $"only {repeated} of {cases} mappings repeat an outer block");
    }

    /// <summary>
    /// More steps than an int can count: a 1 × 1 array, one byte per row and column, one-byte buffers, M = 65,536,
    /// N = 32,769, K = 1: every block is one row or column, B outer (32,769 + 65,536·32,769 B against 65,536 +
    /// 32,769·65,536 B), 32,769 outer blocks of one 65,536-step pattern, 2,147,549,184 steps.
    /// </summary>
    [Fact]
    public void CountBeyondAnIntOverflowsLoudly()
    {
        var mapper = new GemmMapper(new ArraySpec(1, 1, Dataflow.Ws), Pe, 1, 1);
        var steps = mapper.Map(65_536, 32_769, 1, 65_536, 32_769, Int8, remember: false).Steps;
        Assert.Equal(65_536L * 32_769, steps.LongCount);
        Assert.Equal((32_769L, 65_536L), (steps.Groups.Single().Blocks, (long)steps.Groups.Single().Pattern.Length));
        Assert.Throws<OverflowException>(() => steps.Count);
    }

    /// <summary>
    /// One outer block of more steps than an array can hold: a 1 × 1 array, M = 2³² + 1 one-byte rows in one-byte A
    /// blocks, N = K = 1; B outer (1 + M bytes against 2M), so the single outer block has 2³² + 1 inner steps.
    /// </summary>
    [Fact]
    public void AnOuterBlockBeyondAnArraysLengthOverflowsLoudly()
    {
        const long m = (1L << 32) + 1;
        var mapper = new GemmMapper(new ArraySpec(1, 1, Dataflow.Ws), Pe, 1, 1 << 20);
        Assert.Throws<OverflowException>(() => mapper.Map(m, 1, 1, m, 1, Int8, remember: false));
    }

    [Fact]
    public void BlocksTakeHalfADoubleBufferedBufferAndAllOfASingleOne()
    {
        Assert.Equal(500, GemmMapper.BlockBytes(new BufferSpec("act", BufferRole.Activations, 1000)));
        Assert.Equal(1000, GemmMapper.BlockBytes(new BufferSpec("act", BufferRole.Activations, 1000, DoubleBuffered: false)));
    }

    /// <summary>
    /// The mapping cache is per datatype of B: a bit-serial PE takes 8 cycles per int8 step and 4 per int4 step, so
    /// the same shape and bytes map to folds of different lengths. A remembered mapping is returned again as is; one
    /// built with remember: false is not kept.
    /// </summary>
    [Fact]
    public void MappingsAreCachedPerDatatypeAndOnlyWhenRemembered()
    {
        var mapper = new GemmMapper(new ArraySpec(2, 2, Dataflow.Ws), new BitSerialPe(1, ["int8", "int4"], 1, "int8"), 1 << 20, 1 << 20);
        var int4 = WeightDatatypes.Get("int4");
        var eight = mapper.Map(4, 4, 4, 16, 16, Int8);
        var four = mapper.Map(4, 4, 4, 16, 16, int4);
        Assert.Equal(8, eight.Steps[0].Timing.CyclesPerStep);
        Assert.Equal(4, four.Steps[0].Timing.CyclesPerStep);
        Assert.Same(eight, mapper.Map(4, 4, 4, 16, 16, Int8));
        Assert.Same(four, mapper.Map(4, 4, 4, 16, 16, int4));
        var once = mapper.Map(4, 4, 8, 32, 32, Int8, remember: false);
        Assert.NotSame(once, mapper.Map(4, 4, 8, 32, 32, Int8));
    }
}
