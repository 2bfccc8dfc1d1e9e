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
public readonly record struct TileRun(Tile Tile, int Count)
{
    /// <summary>A source that hands out <paramref name="tiles"/> one run per tile, then null.</summary>
    public static Func<TileRun?> Each(IReadOnlyList<Tile> tiles)
    {
        int next = 0;
        return () => next < tiles.Count ? new TileRun(tiles[next++], 1) : null;
    }
}
