namespace HwSim.Arch.Fast;

/// <summary>
/// One transaction of the fast model: load <see cref="LoadBytes"/> from DRAM into a buffer half, compute for
/// <see cref="ComputeCycles"/> on the array or the vector unit, store <see cref="StoreBytes"/> back.
/// <see cref="ReadsStoredOutputs"/>: the load includes activations an earlier op wrote to DRAM, so it waits for
/// those stores (read after write). <see cref="LoadAddress"/> and <see cref="StoreAddress"/> are the DRAM byte
/// addresses the transfers start at; <see cref="Placed"/> (the default) lets the pipeline place them (see
/// <see cref="TilePipeline"/>). Only an address-aware DRAM model (dram.model "banked") is affected by them.
/// </summary>
public readonly record struct Tile(
    int Op,
    long LoadBytes,
    bool ReadsStoredOutputs,
    long ComputeCycles,
    long BusyPeCycles,
    long StoreBytes,
    long LoadAddress = Tile.Placed,
    long StoreAddress = Tile.Placed)
{
    /// <summary>Address value meaning "the pipeline chooses".</summary>
    public const long Placed = -1;
}

/// <summary><see cref="Count"/> consecutive equal tiles of the stream (an op's identical block steps come as one run).</summary>
public readonly record struct TileRun(Tile Tile, int Count);

/// <summary>
/// The tiles of one op instance as runs of equal tiles, every tile's <see cref="Tile.Op"/> 0 (the
/// <see cref="TileBlock"/> says which op). Immutable, so op instances of one shape share one: the pipeline then knows
/// two ops tile alike without comparing their tiles.
/// <para>
/// Held as segments, each a pattern of runs repeated some number of times (the outer blocks of a mapping, the items
/// of a batched GEMM), so that a GEMM of millions of block steps costs memory and time in its distinct patterns only.
/// Runs are numbered through the repetitions; adjacent equal runs are merged within a pattern and between plain
/// segments, not across a pattern's repetitions, which only splits a stretch of equal tiles into more runs.
/// </para>
/// </summary>
public sealed class TileTemplate
{
    /// <summary>A pattern of runs (<see cref="Starts"/>: each run's first tile within the pattern) repeated <see cref="Repeats"/> times from run <see cref="FirstRun"/> and tile <see cref="FirstTile"/> of the template.</summary>
    internal sealed record Segment(TileRun[] Runs, int[] Starts, int PatternTiles, int Repeats, int FirstRun, int FirstTile)
    {
        public int RunCount => Runs.Length * Repeats;

        public int TileCount => PatternTiles * Repeats;

        public bool SameAs(Segment other) =>
            Repeats == other.Repeats && PatternTiles == other.PatternTiles && Runs.AsSpan().SequenceEqual(other.Runs);
    }

    private readonly Segment[] segments;

    /// <param name="runs">The runs in stream order; runs of no tiles are dropped, the ops of their tiles set to 0.</param>
    public TileTemplate(IEnumerable<TileRun> runs)
    {
        var builder = new Builder();
        foreach (var run in runs) builder.Add(run);
        segments = builder.Segments();
        TileCount = segments.Length == 0 ? 0 : segments[^1].FirstTile + segments[^1].TileCount;
        RunCount = segments.Length == 0 ? 0 : segments[^1].FirstRun + segments[^1].RunCount;
    }

    private TileTemplate(Segment[] segments)
    {
        this.segments = segments;
        TileCount = segments.Length == 0 ? 0 : segments[^1].FirstTile + segments[^1].TileCount;
        RunCount = segments.Length == 0 ? 0 : segments[^1].FirstRun + segments[^1].RunCount;
    }

    /// <summary>Tiles in all.</summary>
    public int TileCount { get; }

    public int RunCount { get; }

    public TileRun this[int run]
    {
        get
        {
            var segment = SegmentOfRun(run);
            return segment.Runs[(run - segment.FirstRun) % segment.Runs.Length];
        }
    }

    /// <summary>The offset (from the op's first tile) of run <paramref name="run"/>'s first tile.</summary>
    public int Start(int run)
    {
        var segment = SegmentOfRun(run);
        int within = run - segment.FirstRun, length = segment.Runs.Length;
        return segment.FirstTile + within / length * segment.PatternTiles + segment.Starts[within % length];
    }

    /// <summary>The offset (from the op's first tile) one past run <paramref name="run"/>.</summary>
    public int End(int run) => Start(run) + this[run].Count;

    /// <summary>The run holding the tile at <paramref name="offset"/> (0 ≤ offset &lt; <see cref="TileCount"/>).</summary>
    public int RunAt(int offset)
    {
        var segment = SegmentOfTile(offset);
        int within = offset - segment.FirstTile;
        int repeat = within / segment.PatternTiles, found = Array.BinarySearch(segment.Starts, within % segment.PatternTiles);
        return segment.FirstRun + repeat * segment.Runs.Length + (found >= 0 ? found : ~found - 1);
    }

    /// <summary>Whether the two make the same tiles: the same template, or equal segments.</summary>
    public bool SameTiles(TileTemplate other)
    {
        // Called for every op the pipeline's look-ahead compares: no allocation.
        if (ReferenceEquals(this, other)) return true;
        if (TileCount != other.TileCount || segments.Length != other.segments.Length) return false;
        for (int i = 0; i < segments.Length; i++)
            if (!segments[i].SameAs(other.segments[i])) return false;
        return true;
    }

    /// <summary>
    /// How many tiles from <paramref name="offset"/> on equal those from <paramref name="otherOffset"/> on because both
    /// lie in one repeated pattern a whole number of repetitions apart (0 when the repetition says nothing).
    /// </summary>
    public int RepeatingFrom(int offset, int otherOffset)
    {
        if (offset == otherOffset) return 0;
        var segment = SegmentOfTile(offset);
        int end = segment.FirstTile + segment.TileCount;
        if (segment.Repeats < 2 || otherOffset < segment.FirstTile || otherOffset >= end
            || (offset - otherOffset) % segment.PatternTiles != 0) return 0;
        return end - Math.Max(offset, otherOffset);
    }

    /// <summary>Every run, repetitions expanded.</summary>
    private IEnumerable<TileRun> AllRuns()
    {
        foreach (var segment in segments)
            for (int r = 0; r < segment.Repeats; r++)
                foreach (var run in segment.Runs)
                    yield return run;
    }

    private Segment SegmentOfRun(int run) => SegmentAt(run, byRun: true);

    private Segment SegmentOfTile(int offset) => SegmentAt(offset, byRun: false);

    /// <summary>The last segment starting at or before run (or tile) <paramref name="index"/>.</summary>
    private Segment SegmentAt(int index, bool byRun)
    {
        if (segments.Length == 1) return segments[0];
        int lo = 0, hi = segments.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if ((byRun ? segments[mid].FirstRun : segments[mid].FirstTile) <= index) lo = mid;
            else hi = mid - 1;
        }
        return segments[lo];
    }

    /// <summary>Builds a template from runs and repeated patterns of runs, in stream order.</summary>
    public sealed class Builder
    {
        private readonly List<Segment> segments = [];
        private readonly List<TileRun> plain = [];
        private int runs, tiles;

        /// <summary>Appends a run (merged with the previous one when its tile is equal; dropped when empty).</summary>
        public Builder Add(TileRun run)
        {
            if (run.Count <= 0) return this;
            var tile = run.Tile with { Op = 0 };
            if (plain.Count > 0 && plain[^1].Tile == tile) plain[^1] = plain[^1] with { Count = checked(plain[^1].Count + run.Count) };
            else plain.Add(new TileRun(tile, run.Count));
            return this;
        }

        /// <summary>Appends <paramref name="pattern"/> <paramref name="repeats"/> times; a pattern of one tile kind becomes one run.</summary>
        public Builder AddRepeated(IReadOnlyList<TileRun> pattern, long repeats)
        {
            var merged = new Builder();
            foreach (var run in pattern) merged.Add(run);
            var runs = merged.plain;
            if (repeats <= 0 || runs.Count == 0) return this;
            if (repeats == 1 || runs.Count == 1)
            {
                foreach (var run in runs) Add(run with { Count = checked((int)(run.Count * repeats)) });
                return this;
            }
            // A pattern that itself repeats a shorter one (the passes of an outer block) is held as the shorter one,
            // so that a period of the stream as short as that is seen as whole repetitions.
            int period = ShortestPeriod(runs);
            Flush();
            AddSegment([.. runs.Take(period)], checked((int)(repeats * (runs.Count / period))));
            return this;
        }

        private static int ShortestPeriod(List<TileRun> runs)
        {
            for (int period = 1; period < runs.Count; period++)
            {
                if (runs.Count % period != 0) continue;
                bool repeats = true;
                for (int i = period; i < runs.Count && repeats; i++) repeats = runs[i] == runs[i - period];
                if (repeats) return period;
            }
            return runs.Count;
        }

        // The longest pattern looked for among plain runs (a mapping's inner blocks repeat with a few runs each).
        private const int MaxPlainPeriod = 64;

        /// <summary>
        /// Closes the plain runs: where a stretch of them repeats a shorter pattern (the inner blocks of a single outer
        /// block), that stretch becomes a repeated segment; the rest stay plain.
        /// </summary>
        private void Flush()
        {
            int start = 0, plainStart = 0;
            while (start < plain.Count)
            {
                var (period, repeats) = PeriodAt(start);
                if (repeats < 2)
                {
                    start++;
                    continue;
                }
                if (plainStart < start) AddSegment([.. plain.GetRange(plainStart, start - plainStart)], 1);
                AddSegment([.. plain.GetRange(start, period)], repeats);
                start += period * repeats;
                plainStart = start;
            }
            if (plainStart < plain.Count) AddSegment([.. plain.GetRange(plainStart, plain.Count - plainStart)], 1);
            plain.Clear();
        }

        /// <summary>The shortest pattern of runs from <paramref name="start"/> on that repeats at least twice, and how often it does.</summary>
        private (int Period, int Repeats) PeriodAt(int start)
        {
            int left = plain.Count - start;
            for (int period = 2; period <= Math.Min(MaxPlainPeriod, left / 2); period++)
            {
                int repeats = 1;
                while ((repeats + 1) * period <= left && Repeats(start, period, repeats)) repeats++;
                if (repeats >= 2) return (period, repeats);
            }
            return (1, 1);
        }

        private bool Repeats(int start, int period, int copy)
        {
            for (int i = 0; i < period; i++)
                if (plain[start + i] != plain[start + copy * period + i]) return false;
            return true;
        }

        private void AddSegment(TileRun[] pattern, int repeats)
        {
            var starts = new int[pattern.Length];
            int patternTiles = 0;
            for (int i = 0; i < pattern.Length; i++)
            {
                starts[i] = patternTiles;
                patternTiles = checked(patternTiles + pattern[i].Count);
            }
            segments.Add(new Segment(pattern, starts, patternTiles, repeats, runs, tiles));
            runs = checked(runs + pattern.Length * repeats);
            tiles = checked(tiles + patternTiles * repeats);
        }

        /// <summary>The runs added so far, when no pattern repeats among them (an item to repeat as a whole).</summary>
        public IReadOnlyList<TileRun> Runs()
        {
            if (segments.Count > 0) return [.. Build().AllRuns()];
            return plain;
        }

        internal Segment[] Segments()
        {
            Flush();
            return [.. segments];
        }

        public TileTemplate Build() => new(Segments());
    }
}

/// <summary>The tiles of op instance <see cref="Op"/>: <see cref="Tiles"/> with that op.</summary>
public readonly record struct TileBlock(int Op, TileTemplate Tiles)
{
    /// <summary>A source that hands out <paramref name="tiles"/> one block per tile, then null.</summary>
    public static Func<TileBlock?> Each(IReadOnlyList<Tile> tiles)
    {
        int next = 0;
        return () =>
        {
            if (next >= tiles.Count) return null;
            var tile = tiles[next++];
            return new TileBlock(tile.Op, new TileTemplate([new TileRun(tile, 1)]));
        };
    }
}

/// <summary>
/// What the producer of a tile stream knows of its coming op instances, so that the pipeline can skip long
/// repetitions without asking for every op instance's tiles.
/// </summary>
/// <param name="Repeating">
/// (first, back): how many op instances from instance <c>first</c> on (none of them handed out yet, or some) each have
/// exactly the tiles of the instance <c>back</c> before it; 0 when it cannot say.
/// </param>
/// <param name="PassTo">
/// (instance): passes over the op instances before <c>instance</c> that were not handed out yet, as if their tiles had
/// been read, so that the next block is that instance's; returns their tiles in all.
/// </param>
public sealed record InstanceRepeats(Func<int, int, int> Repeating, Func<int, long> PassTo);
