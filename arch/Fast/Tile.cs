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
/// </summary>
public sealed class TileTemplate
{
    private readonly TileRun[] runs;
    private readonly int[] starts;

    /// <param name="runs">The runs in stream order; runs of no tiles are dropped, the ops of their tiles set to 0.</param>
    public TileTemplate(IEnumerable<TileRun> runs)
    {
        var kept = new List<TileRun>();
        var starts = new List<int>();
        int count = 0;
        foreach (var run in runs)
        {
            if (run.Count <= 0) continue;
            var tile = run.Tile with { Op = 0 };
            if (kept.Count > 0 && kept[^1].Tile == tile)
            {
                kept[^1] = kept[^1] with { Count = checked(kept[^1].Count + run.Count) };
            }
            else
            {
                kept.Add(new TileRun(tile, run.Count));
                starts.Add(count);
            }
            count = checked(count + run.Count);
        }
        this.runs = [.. kept];
        this.starts = [.. starts];
        TileCount = count;
    }

    /// <summary>Tiles in all.</summary>
    public int TileCount { get; }

    public int RunCount => runs.Length;

    public TileRun this[int run] => runs[run];

    /// <summary>The offset (from the op's first tile) of run <paramref name="run"/>'s first tile.</summary>
    public int Start(int run) => starts[run];

    /// <summary>The offset (from the op's first tile) one past run <paramref name="run"/>.</summary>
    public int End(int run) => starts[run] + runs[run].Count;

    /// <summary>The run holding the tile at <paramref name="offset"/> (0 ≤ offset &lt; <see cref="TileCount"/>).</summary>
    public int RunAt(int offset)
    {
        int found = Array.BinarySearch(starts, offset);
        return found >= 0 ? found : ~found - 1;
    }

    /// <summary>Whether the two make the same tiles: the same template, or equal runs.</summary>
    public bool SameTiles(TileTemplate other) =>
        ReferenceEquals(this, other) || (TileCount == other.TileCount && runs.AsSpan().SequenceEqual(other.runs));
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
