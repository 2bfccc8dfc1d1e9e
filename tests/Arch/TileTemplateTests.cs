using HwSim.Arch.Fast;
using HwSim.Arch.Memory;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch;

/// <summary>
/// An op's tiles as a shared template: the runs and look-ups match the tiles written out one by one, and a stream of
/// ops sharing templates runs exactly like the same tiles handed out one at a time, skipping or not.
/// </summary>
public class TileTemplateTests
{
    private static readonly Tile Load = new(7, 100, false, 5, 5, 0), Last = new(7, 100, false, 5, 5, 40);

    [Fact]
    public void RunsAreMergedAndLookedUpLikeTheTilesWrittenOut()
    {
        var template = new TileTemplate([new TileRun(Load, 3), new TileRun(Load with { Op = 9 }, 2), new TileRun(Last, 0), new TileRun(Last, 1), new TileRun(Load, 1)]);
        Tile[] written = [.. Enumerable.Repeat(Load, 5), Last, Load];
        Assert.Equal(written.Length, template.TileCount);
        Assert.Equal(3, template.RunCount);
        for (int offset = 0; offset < written.Length; offset++)
        {
            int run = template.RunAt(offset);
            Assert.True(template.Start(run) <= offset && offset < template.End(run));
            // Template tiles carry op 0: the block says which op.
            Assert.Equal(written[offset] with { Op = 0 }, template[run].Tile);
        }
    }

    [Fact]
    public void EqualTemplatesMakeTheSameTilesWhetherSharedOrNot()
    {
        var a = new TileTemplate([new TileRun(Load, 4), new TileRun(Last, 1)]);
        var b = new TileTemplate([new TileRun(Load, 2), new TileRun(Load, 2), new TileRun(Last with { Op = 3 }, 1)]);
        var c = new TileTemplate([new TileRun(Load, 4), new TileRun(Last with { StoreBytes = 41 }, 1)]);
        Assert.True(a.SameTiles(a));
        Assert.True(a.SameTiles(b));
        Assert.False(a.SameTiles(c));
    }

    /// <summary>Ops 0..n-1 alternating between two shapes, a third shape every eleventh op.</summary>
    private static (List<TileBlock> Shared, List<Tile> Written) Stream(int ops)
    {
        TileTemplate[] shapes =
        [
            new([new TileRun(Load, 6), new TileRun(Last, 1)]),
            new([new TileRun(Load with { LoadBytes = 30, ComputeCycles = 12 }, 3), new TileRun(Last with { StoreBytes = 400, ReadsStoredOutputs = true }, 1)]),
            new([new TileRun(Load with { LoadBytes = 700 }, 2)]),
        ];
        var shared = new List<TileBlock>();
        var written = new List<Tile>();
        for (int op = 0; op < ops; op++)
        {
            var shape = shapes[op % 11 == 10 ? 2 : op % 2];
            shared.Add(new TileBlock(op, shape));
            for (int run = 0; run < shape.RunCount; run++)
                written.AddRange(Enumerable.Repeat(shape[run].Tile with { Op = op }, shape[run].Count));
        }
        return (shared, written);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SharedTemplatesRunExactlyLikeTheTilesOneByOne(int engines)
    {
        var spec = Presets.Find("bitmod")! with { Dram = new SimpleDramSpec(10, LatencyCycles: 13), Dma = new DmaSpec(Engines: engines) };
        var (shared, written) = Stream(200);
        (long Cycles, TilePipeline Pipeline, List<(int, long, long, long)> Ops) Run(Func<TileBlock?> source, bool fullEvents)
        {
            var ops = new List<(int, long, long, long)>();
            var pipeline = new TilePipeline(spec, source, (op, cycles, compute, busy) => ops.Add((op, cycles, compute, busy)), fullEvents);
            return (pipeline.Run(), pipeline, ops);
        }
        Func<TileBlock?> Shared()
        {
            int next = 0;
            return () => next < shared.Count ? shared[next++] : null;
        }
        var full = Run(TileBlock.Each(written), fullEvents: true);
        var oneByOne = Run(TileBlock.Each(written), fullEvents: false);
        var skipped = Run(Shared(), fullEvents: false);
        foreach (var run in new[] { oneByOne, skipped })
        {
            Assert.Equal(full.Cycles, run.Cycles);
            Assert.Equal(full.Ops, run.Ops);
            Assert.Equal(full.Pipeline.EventsProcessed, run.Pipeline.EventsProcessed);
            Assert.Equal(full.Pipeline.Activity(full.Cycles), run.Pipeline.Activity(run.Cycles));
        }
        Assert.Equal(200, full.Ops.Count);
        // The stream repeats every 22 ops: most of it is skipped.
        Assert.True(skipped.Pipeline.EventsRun * 2 < full.Pipeline.EventsRun, $"{skipped.Pipeline.EventsRun} of {full.Pipeline.EventsRun} events run");
    }
}
