using CsCheck;
using HwSim.Arch.Fast;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch;

/// <summary>
/// Streams shaped like decode steps: a head op, layers of the same ops, an op that differs per step (as attention
/// does with the KV length) and layers cut short by an odd op, so that skips land less than a period before their
/// repetition ends and short repetitions one step apart begin. The pipeline replays those stretches from its record
/// of skips instead of searching them; whatever it replays, every total, event count and per-op finish must equal the
/// event-by-event run's.
/// </summary>
public sealed class SkipReplayTests
{
    private static Tile T(long load, long compute, long store) => new(0, load, false, compute, compute, store);

    /// <summary>A template of one or two runs of tiles.</summary>
    private static readonly Gen<TileTemplate> Template =
        Gen.Select(Gen.Long[0, 40_000], Gen.Long[1, 600], Gen.Long[0, 4096], Gen.Int[1, 40], Gen.Int[0, 12])
            .Select((load, compute, store, count, tail) => tail == 0
                ? new TileTemplate([new TileRun(T(load, compute, store), count)])
                : new TileTemplate([new TileRun(T(load, compute, 0), count), new TileRun(T(load / 2, compute + 7, store), tail)]));

    private sealed record Shape(TileTemplate Head, TileTemplate[] Layer, int Layers, int Steps, int VaryingOp, int OddAt, TileTemplate Odd, TileTemplate Tail);

    private static readonly Gen<Shape> Shapes =
        Gen.Select(Template, Template.Array[2, 5], Gen.Int[3, 12], Gen.Int[1, 4], Gen.Int[0, 100], Gen.Int[-1, 200], Template)
            .SelectMany(t => Template.Select(tail => new Shape(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5 % t.Item2.Length,
                t.Item6, t.Item7, tail)));

    /// <summary>
    /// Steps of: head, layers (op <see cref="Shape.VaryingOp"/> of each layer starting with a run that differs from
    /// step to step), the odd op in place of op <see cref="Shape.OddAt"/> of the step if
    /// that lies inside it, and the tail.
    /// </summary>
    private static List<TileTemplate> Stream(Shape shape)
    {
        var stream = new List<TileTemplate>();
        for (int step = 0; step < shape.Steps; step++)
        {
            // In even steps the varying op starts with more of the tiles that end the op before it, so that a
            // repetition of those runs into it; in odd steps with tiles of its own.
            var varying = shape.Layer[shape.VaryingOp];
            var before = shape.Layer[(shape.VaryingOp + shape.Layer.Length - 1) % shape.Layer.Length];
            var prefix = step % 2 == 0 ? before[before.RunCount - 1].Tile : T(64 * (step + 1), 5 + step, 0);
            var stepVarying = new TileTemplate([new TileRun(prefix, 3 + step), .. Enumerable.Range(0, varying.RunCount).Select(r => varying[r])]);
            var ops = new List<TileTemplate> { shape.Head };
            for (int l = 0; l < shape.Layers; l++)
                for (int o = 0; o < shape.Layer.Length; o++) ops.Add(o == shape.VaryingOp ? stepVarying : shape.Layer[o]);
            if (shape.OddAt > 0 && shape.OddAt < ops.Count) ops[shape.OddAt] = shape.Odd;
            ops.Add(shape.Tail);
            stream.AddRange(ops);
        }
        return stream;
    }

    private sealed record Outcome(long Total, long Events, long EventsRun, List<(int, long, long, long)> Finished);

    private static Outcome Run(AcceleratorSpec spec, List<TileTemplate> stream, bool fullEvents)
    {
        int next = 0;
        TileBlock? Source() => next < stream.Count ? new TileBlock(next, stream[next++]) : null;
        var finished = new List<(int, long, long, long)>();
        var pipeline = new TilePipeline(spec, Source, (op, cycles, compute, busy) => finished.Add((op, cycles, compute, busy)), fullEvents);
        long total = pipeline.Run();
        return new Outcome(total, pipeline.EventsProcessed, pipeline.EventsRun, finished);
    }

    /// <summary>Runs <paramref name="stream"/> event by event and skipping: totals, events and per-op finishes must agree.</summary>
    private static (Outcome Full, Outcome Skipping) AssertSameAsEventByEvent(AcceleratorSpec spec, List<TileTemplate> stream)
    {
        var full = Run(spec, stream, fullEvents: true);
        var skipping = Run(spec, stream, fullEvents: false);
        Assert.Equal(full.Total, skipping.Total);
        Assert.Equal(full.Events, skipping.Events);
        Assert.Equal(full.Finished, skipping.Finished);
        return (full, skipping);
    }

    [Theory]
    [InlineData("bitmod")]
    [InlineData("int8-systolic")]
    public void ReplayedStretchesGiveTheEventByEventResults(string preset)
    {
        var spec = Presets.Find(preset)!;
        var singleBuffered = spec with { Buffers = [.. spec.Buffers.Select(b => b with { DoubleBuffered = false })] };
        Shapes.Sample(shape =>
        {
            var stream = Stream(shape);
            foreach (var s in new[] { spec, singleBuffered }) AssertSameAsEventByEvent(s, stream);
        }, iter: 60, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void ALongRunKeepsOnlyRecentSkipsOnRecordAndStaysExact()
    {
        // 1,000 steps of several skips each: the record of skips outgrows its trimming threshold (4,096 records) and is
        // trimmed while replays read it.
        var layer = new[]
        {
            new TileTemplate([new TileRun(T(16384, 90, 0), 20), new TileRun(T(16384, 90, 2048), 1)]),
            new TileTemplate([new TileRun(T(2048, 700, 0), 9), new TileRun(T(2048, 700, 512), 1)]),
            new TileTemplate([new TileRun(T(4096, 300, 0), 15), new TileRun(T(4096, 300, 4096), 1)]),
        };
        var shape = new Shape(new TileTemplate([new TileRun(T(8192, 40, 0), 6)]), layer, 4, 1000, 1, -1, layer[0],
            new TileTemplate([new TileRun(T(1 << 16, 2000, 0), 12), new TileRun(T(1 << 16, 2000, 128), 1)]));
        var stream = Stream(shape);
        var spec = Presets.Find("bitmod")!;
        AssertSameAsEventByEvent(spec, stream);
    }

    [Fact]
    public void AStepWhoseLayersEndInAnOddOpIsReplayedExactlyAndMostlySkipped()
    {
        // 30 layers of three ops, the middle one growing every step, the odd op in the last layer of the first step.
        var layer = new[]
        {
            new TileTemplate([new TileRun(T(16384, 90, 0), 12), new TileRun(T(16384, 90, 2048), 1)]),
            new TileTemplate([new TileRun(T(0, 12, 512), 1)]),
            new TileTemplate([new TileRun(T(4096, 300, 0), 7), new TileRun(T(4096, 300, 4096), 1)]),
        };
        var shape = new Shape(new TileTemplate([new TileRun(T(8192, 40, 0), 2)]), layer, 30, 3, 1, 1 + 29 * 3 + 1,
            new TileTemplate([new TileRun(T(0, 40, 512), 3)]), new TileTemplate([new TileRun(T(1 << 20, 2000, 128), 9)]));
        var stream = Stream(shape);
        var spec = Presets.Find("bitmod")!;
        var (full, skipping) = AssertSameAsEventByEvent(spec, stream);
        Assert.True(skipping.EventsRun * 4 < full.EventsRun, $"{skipping.EventsRun} of {full.EventsRun} events run");
    }
}
