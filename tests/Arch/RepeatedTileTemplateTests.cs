using HwSim.Arch.Fast;
using HwSim.Arch.Mapping;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch;

/// <summary>
/// Templates and mappings that hold repeated patterns once: every look-up reads as the tiles (steps) written out one by
/// one, a repetition is only claimed where the written-out tiles do repeat, and a stream past 2^31 tiles still skips
/// exactly (its total on the affine line of shorter event-by-event runs).
/// </summary>
public class RepeatedTileTemplateTests
{
    private static Tile T(long load, long compute, long store = 0) => new(0, load, false, compute, compute, store);

    /// <summary>A head, a pattern repeated by the builder, plain runs that repeat a short pattern, and a tail.</summary>
    private static (TileTemplate Template, List<Tile> Written) Sample()
    {
        var builder = new TileTemplate.Builder();
        var written = new List<Tile>();
        void Add(Tile tile, int count)
        {
            builder.Add(new TileRun(tile, count));
            written.AddRange(Enumerable.Repeat(tile, count));
        }
        Add(T(9, 1), 2);
        TileRun[] pattern = [new(T(100, 5), 1), new(T(40, 5), 3), new(T(100, 5), 1), new(T(40, 5), 3)];
        builder.AddRepeated(pattern, 7);
        for (int r = 0; r < 7; r++)
            foreach (var run in pattern) written.AddRange(Enumerable.Repeat(run.Tile, run.Count));
        for (int r = 0; r < 5; r++)
        {
            Add(T(100, 3), 1);
            Add(T(20, 3), 2);
        }
        Add(T(100, 3, store: 64), 1);
        return (builder.Build(), written);
    }

    [Fact]
    public void LookUpsReadAsTheTilesWrittenOut()
    {
        var (template, written) = Sample();
        Assert.Equal(written.Count, template.TileCount);
        int runs = 0;
        for (int offset = 0; offset < written.Count; offset++)
        {
            int run = template.RunAt(offset);
            Assert.True(template.Start(run) <= offset && offset < template.End(run), $"offset {offset} not in run {run}");
            Assert.Equal(written[offset], template[run].Tile);
            if (offset == template.Start(run)) runs++;
        }
        Assert.Equal(template.RunCount, runs);
        // Runs tile the template without gaps.
        for (int run = 1; run < template.RunCount; run++) Assert.Equal(template.End(run - 1), template.Start(run));
        Assert.True(template.RunCount < written.Count);
    }

    [Fact]
    public void ARepetitionIsClaimedOnlyWhereTheTilesRepeat()
    {
        var (template, written) = Sample();
        int claimed = 0;
        for (int a = 0; a < written.Count; a++)
        {
            for (int b = 0; b < written.Count; b++)
            {
                int same = template.RepeatingFrom(a, b);
                Assert.True(same >= 0 && a + same <= written.Count && b + same <= written.Count);
                for (int i = 0; i < same; i++) Assert.Equal(written[a + i], written[b + i]);
                if (same > 0) claimed++;
            }
        }
        // The builder's pattern (8 tiles, held as its half) and the plain stretch's (3 tiles) are both found.
        Assert.Equal(2 + 8 * 7 - (2 + 8 * 5), template.RepeatingFrom(2 + 8 * 5, 2 + 8));
        Assert.Equal(2 + 8 * 7 + 15 - (2 + 8 * 7 + 6), template.RepeatingFrom(2 + 8 * 7 + 6, 2 + 8 * 7 + 3));
        Assert.True(claimed > 0);
    }

    [Fact]
    public void EqualContentsAreTheSameTiles()
    {
        Assert.True(Sample().Template.SameTiles(Sample().Template));
        var other = new TileTemplate.Builder().AddRepeated([new TileRun(T(1, 1), 1), new TileRun(T(2, 1), 1)], 3).Build();
        Assert.False(Sample().Template.SameTiles(other));
    }

    [Theory]
    [InlineData(1000, 640, 512, 1001, 333)]
    [InlineData(4096, 4096, 4096, 4096 * 4096, 4096 * 4096 / 2)]
    [InlineData(777, 65, 300, 777 * 300 + 5, 65 * 300 * 5 / 8 + 3)]
    public void GroupedStepsReadAsTheLoopNestWrittenOut(long m, long n, long k, long aBytes, long bBytes)
    {
        var spec = Presets.Find("bitmod")!;
        var mapping = GemmMapper.For(spec).Map(m, n, k, aBytes, bBytes, WeightDatatypes.Get("bitmod4"));
        var steps = mapping.Steps;
        Assert.Equal(mapping.MBlocks * mapping.NBlocks * mapping.KBlocks, steps.LongCount);
        var listed = steps.ToList();
        Assert.Equal(steps.Count, listed.Count);
        for (int i = 0; i < listed.Count; i++) Assert.Equal(listed[i], steps[i]);
        // Every output element is covered by exactly one step per K chunk, and the loads sum to the mapping's counts.
        Assert.Equal(m * n * mapping.KBlocks, listed.Sum(s => s.Rows * s.Cols));
        Assert.Equal(m * n * k, listed.Sum(s => s.Rows * s.Cols * s.Depth));
        Assert.Equal(mapping.A.LoadedBytes + mapping.B.LoadedBytes, listed.Sum(s => s.LoadBytes));
        var outerOffsets = listed.Select(s => steps.AOuter ? s.M0 : s.N0).Distinct().Order().ToList();
        Assert.Equal(outerOffsets, Enumerable.Range(0, outerOffsets.Count).Select(b => b * steps.OuterStride));
    }

    [Fact]
    public void AStreamPast2To31TilesSkipsExactly()
    {
        // One op of n equal tiles: after its start the pipeline is periodic, so the total is affine in n; event-by-event
        // runs of 1,000 and 2,000 tiles fix the line, and a run of 3·10^9 tiles (past any 32-bit tile index) must lie on it.
        var spec = Presets.Find("bitmod")!;
        var tile = T(4096, 100);
        long Total(int count, bool fullEvents)
        {
            var block = new TileBlock(0, new TileTemplate([new TileRun(tile, count - 1), new TileRun(tile with { StoreBytes = 64 }, 1)]));
            bool given = false;
            TileBlock? Source()
            {
                if (given) return null;
                given = true;
                return block;
            }
            return new TilePipeline(spec, Source, (_, _, _, _) => { }, fullEvents).Run();
        }
        long t1 = Total(1000, fullEvents: true), t2 = Total(2000, fullEvents: true);
        Assert.Equal(t1, Total(1000, fullEvents: false));
        const int huge = 1_500_000_000;
        long slope = (t2 - t1) / 1000;
        Assert.Equal(t2 - t1, slope * 1000);
        // Two ops of 1.5·10^9 tiles each: 3·10^9 tiles in the stream.
        var hugeBlock = new TileTemplate([new TileRun(tile, huge)]);
        var last = new TileTemplate([new TileRun(tile, huge - 1), new TileRun(tile with { StoreBytes = 64 }, 1)]);
        int next = 0;
        TileBlock? TwoOps() => next++ switch { 0 => new TileBlock(0, hugeBlock), 1 => new TileBlock(1, last), _ => null };
        long total = new TilePipeline(spec, TwoOps, (_, _, _, _) => { }).Run();
        Assert.Equal(t1 + slope * (2L * huge - 1000), total);
    }
}
