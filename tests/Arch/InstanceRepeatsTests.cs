using HwSim.Arch.Fast;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch;

/// <summary>
/// A stream whose producer vouches for repeated op instances (<see cref="InstanceRepeats"/>): the pipeline skips the
/// vouched layers without reading their tiles and gets exactly the event-by-event run's results, and a producer that
/// vouches for instances that do not repeat is caught rather than believed.
/// </summary>
public sealed class InstanceRepeatsTests
{
    private const int OpsPerLayer = 3, Layers = 40;

    private static Tile T(long load, long compute, long store = 0) => new(0, load, false, compute, compute, store);

    /// <summary>A head op, 40 layers of three ops (the same three templates in each, but for <paramref name="odd"/>), a tail op.</summary>
    private static List<TileTemplate> Stream(int odd = -1)
    {
        var head = new TileTemplate([new TileRun(T(8192, 40), 2)]);
        TileTemplate[] layer =
        [
            new([new TileRun(T(16384, 90), 5), new TileRun(T(16384, 90, store: 2048), 1)]),
            new([new TileRun(T(0, 12, store: 512), 1)]),
            new([new TileRun(T(4096, 300), 3), new TileRun(T(4096, 300, store: 4096), 1)]),
        ];
        var stream = new List<TileTemplate> { head };
        for (int l = 0; l < Layers; l++) stream.AddRange(layer);
        if (odd >= 0) stream[odd] = new TileTemplate([new TileRun(T(0, 12, store: 512), 3)]);
        stream.Add(new TileTemplate([new TileRun(T(1 << 20, 2000, store: 128), 2)]));
        return stream;
    }

    private sealed record Outcome(long Total, long Events, List<(int Op, long Cycles, long Compute, long Busy)> Finished, int HandedOut);

    /// <param name="vouch">The producer's answer for (first, back), given the stream; null: the producer says nothing.</param>
    private static Outcome Run(List<TileTemplate> stream, Func<List<TileTemplate>, int, int, int>? vouch, bool fullEvents = false)
    {
        int next = 0, handedOut = 0;
        TileBlock? Source()
        {
            if (next >= stream.Count) return null;
            handedOut++;
            return new TileBlock(next, stream[next++]);
        }
        long PassTo(int instance)
        {
            long tiles = 0;
            for (; next < instance && next < stream.Count; next++) tiles += stream[next].TileCount;
            return tiles;
        }
        var repeats = vouch is null ? null : new InstanceRepeats((first, back) => vouch(stream, first, back), PassTo);
        var finished = new List<(int, long, long, long)>();
        var pipeline = new TilePipeline(Presets.Find("bitmod")!, Source, (op, cycles, compute, busy) => finished.Add((op, cycles, compute, busy)),
            fullEvents, repeats: repeats);
        long total = pipeline.Run();
        return new Outcome(total, pipeline.EventsProcessed, finished, handedOut);
    }

    /// <summary>The truth: instances from first on whose tiles equal those back before, up to the first that differs.</summary>
    private static int Honest(List<TileTemplate> stream, int first, int back)
    {
        int n = 0;
        while (first + n < stream.Count && first + n - back >= 0 && stream[first + n].SameTiles(stream[first + n - back])) n++;
        return n;
    }

    [Fact]
    public void VouchedLayersAreSkippedWithoutTheirTilesAndGiveTheEventByEventResults()
    {
        var stream = Stream();
        var full = Run(stream, null, fullEvents: true);
        var skipping = Run(stream, null);
        var vouched = Run(stream, Honest);
        Assert.Equal(full.Total, skipping.Total);
        Assert.Equal(full.Total, vouched.Total);
        Assert.Equal(full.Events, vouched.Events);
        Assert.Equal(full.Finished, vouched.Finished);
        // Without the producer's word every instance is read; with it, the skipped layers' instances are passed over.
        Assert.Equal(stream.Count, skipping.HandedOut);
        Assert.True(vouched.HandedOut < stream.Count / 2, $"{vouched.HandedOut} of {stream.Count} instances read");
    }

    [Fact]
    public void AnOddLayerInsideAVouchedStretchEndsTheRepetitionAtIt()
    {
        // Layer 25's middle op differs: an honest producer stops there, and the results stay exact.
        var stream = Stream(odd: 1 + 25 * OpsPerLayer + 1);
        var full = Run(stream, null, fullEvents: true);
        var vouched = Run(stream, Honest);
        Assert.Equal(full.Total, vouched.Total);
        Assert.Equal(full.Finished, vouched.Finished);
        Assert.True(vouched.HandedOut < stream.Count);
    }

    [Fact]
    public void AProducerThatVouchesForInstancesThatDoNotRepeatIsCaught()
    {
        // The producer claims every layer repeats, but layer 25 holds more tiles: passing over it, the pipeline finds
        // the tiles passed over do not fill the skipped periods.
        var stream = Stream(odd: 1 + 25 * OpsPerLayer + 1);
        int Lying(List<TileTemplate> s, int first, int back) => first >= 1 + OpsPerLayer ? 1 + Layers * OpsPerLayer - first : 0;
        var error = Assert.Throws<InvalidOperationException>(() => Run(stream, Lying));
        Assert.Contains("passed over", error.Message);
    }
}
