using HwSim.Arch.Memory;

namespace HwSim.Arch.Fast;

/// <summary>A skip taken at a tile, as recorded: its period (tiles, ops), periods, the ops finished during one period, and the state values a period apart.</summary>
internal readonly record struct LoggedSkip(long Period, long Periods, int Ops, long FinishedPerPeriod, ArraySegment<long> Earlier, ArraySegment<long> Later);

/// <summary>
/// The skips the pipeline took, by tile, so that a stretch that repeats an earlier one can be replayed instead of
/// searched for repetitions tile by tile.
/// </summary>
/// <remarks>
/// When the state at tile T has the shape it had at T − P, and the stream from T on equals the stream P tiles before
/// up to some end, the pipeline evolves from T exactly as it did from T − P as long as it reads only tiles before that
/// end. That holds where a skip of whole periods lands (less than a period before the repetition ends, e.g. in a decode
/// step's last layer), and where a repetition too short for a whole period begins (the layers of a decode step before
/// its attention, one step after the last). There the pipeline need not capture its state at every tile start: it
/// takes, at each tile, the skip taken at the mirrored tile (the same periods of the same change), and nothing where
/// none was taken. A mirrored skip across ops is taken again for as many periods as the stream repeats from here, and
/// the replay goes on from where it lands. A replay ends where the mirrored stretch ends or a skip would read past the
/// repetition; from there the pipeline searches again. A replay only starts where every skip of the mirrored stretch
/// is on record.
/// </remarks>
internal sealed class SkipLog
{
    private const int TrimAbove = 4096;
    private const int Capacity = 1 << 16;

    private readonly record struct Record(long Tile, long Period, long Periods, int Ops, long FinishedPerPeriod, int Offset, int Count);

    // In tile order; each record's earlier and later state values lie in values from Offset (Count each, earlier first).
    private readonly List<Record> records = [];
    private long[] values = [];
    private int valuesUsed;
    // Every skip taken at a tile from here on is on record.
    private long completeFrom;
    // The replay in progress (replayNext −1: none): the stretch mirrored is [replayFrom, replayLimit), replayShift
    // tiles back; the stream repeats up to replayEnd.
    private int replayNext = -1;
    private long replayShift, replayEnd, replayFrom, replayLimit;

    public bool Replaying => replayNext >= 0;

    /// <summary>Records a skip within one op at <paramref name="tile"/>: <paramref name="periods"/> periods of the change from <paramref name="earlier"/> to <paramref name="later"/>.</summary>
    public void Within(long tile, long period, long periods, ReadOnlySpan<long> earlier, ReadOnlySpan<long> later, long windowBase)
    {
        Add(tile, period, periods, 0, 0, earlier, later);
        Trim(windowBase);
    }

    /// <summary>
    /// Records a skip of whole periods across ops at <paramref name="tile"/> (<paramref name="period"/> tiles and
    /// <paramref name="ops"/> ops each, <paramref name="skippedTiles"/> tiles in all, <paramref name="finishedPerPeriod"/>
    /// ops finished in each), over a stream that repeats up to <paramref name="repetitionEnd"/> (exclusive), and
    /// replays the period before it from where the skip lands.
    /// </summary>
    public void Across(long tile, long period, int ops, long skippedTiles, long finishedPerPeriod, ReadOnlySpan<long> earlier,
        ReadOnlySpan<long> later, long repetitionEnd, long windowBase)
    {
        Add(tile, period, 0, ops, finishedPerPeriod, earlier, later);
        StartReplay(tile, period, skippedTiles + period, repetitionEnd);
        Trim(windowBase);
    }

    /// <summary>
    /// At tile <paramref name="tile"/>, whose state has the shape the state had <paramref name="period"/> tiles
    /// before, over a stream that repeats from there up to <paramref name="repetitionEnd"/> (exclusive), too short
    /// for a whole period: replays what followed the earlier tile.
    /// </summary>
    public void Mirror(long tile, long period, long repetitionEnd) => StartReplay(tile, period, period, repetitionEnd);

    /// <summary>
    /// At the start of tile <paramref name="tile"/> while replaying: true if the replay goes on, with the skip taken at
    /// the mirrored tile in <paramref name="skip"/> (null if none); false if it ended here and the pipeline must search
    /// for repetitions itself. The tiles the pipeline may read before its next tile start lie below
    /// <paramref name="readsBelow"/>, and a skip within an op moves them as far as it skips. A skip across ops ends
    /// the replay: the pipeline takes it for as many periods as the stream repeats (see <see cref="Across"/>).
    /// </summary>
    public bool Replay(long tile, long readsBelow, out LoggedSkip? skip)
    {
        skip = null;
        long mirrored = tile - replayShift;
        if (mirrored >= replayLimit || readsBelow > replayEnd) return EndReplay();
        while (replayNext < records.Count && records[replayNext].Tile < mirrored) replayNext++;
        if (replayNext == records.Count || records[replayNext].Tile != mirrored) return true;
        var record = records[replayNext];
        var logged = new LoggedSkip(record.Period, record.Periods, record.Ops, record.FinishedPerPeriod,
            new ArraySegment<long>(values, record.Offset, record.Count), new ArraySegment<long>(values, record.Offset + record.Count, record.Count));
        if (record.Ops > 0)
        {
            // Mirrored only if its earlier period lies in the stretch mirrored.
            if (record.Tile - record.Period < replayFrom) return EndReplay();
            skip = logged;
            EndReplay();
            return true;
        }
        if (readsBelow + record.Period * record.Periods > replayEnd) return EndReplay();
        // Taken again here: recorded at this tile for later replays.
        Add(tile, record.Period, record.Periods, 0, 0, logged.Earlier, logged.Later);
        replayNext++;
        skip = logged;
        return true;
    }

    /// <summary>
    /// Replays the tiles from <paramref name="tile"/> − <paramref name="period"/> up to <paramref name="tile"/>
    /// (exclusive) at tiles <paramref name="shift"/> later, if every skip taken there is on record.
    /// </summary>
    private void StartReplay(long tile, long period, long shift, long repetitionEnd)
    {
        long from = tile - period;
        if (from < completeFrom) return;
        int next = records.Count;
        while (next > 0 && records[next - 1].Tile >= from) next--;
        replayNext = next;
        replayShift = shift;
        replayEnd = repetitionEnd;
        replayFrom = from;
        replayLimit = tile;
    }

    private bool EndReplay()
    {
        replayNext = -1;
        return false;
    }

    private void Add(long tile, long period, long periods, int ops, long finishedPerPeriod, ReadOnlySpan<long> earlier, ReadOnlySpan<long> later)
    {
        int count = earlier.Length;
        if (valuesUsed + 2 * count > values.Length) Array.Resize(ref values, Math.Max(values.Length * 2, valuesUsed + 2 * count));
        earlier.CopyTo(values.AsSpan(valuesUsed));
        later.CopyTo(values.AsSpan(valuesUsed + count));
        records.Add(new Record(tile, period, periods, ops, finishedPerPeriod, valuesUsed, count));
        valuesUsed += 2 * count;
    }

    /// <summary>
    /// Once there are many records, drops those of tiles before the pipeline's window (no period reaches back there)
    /// and not being replayed; the rest move to the front. Keeps at most <see cref="Capacity"/> records: past that,
    /// all are dropped (later replays are lost, never a result).
    /// </summary>
    private void Trim(long windowBase)
    {
        if (records.Count <= TrimAbove) return;
        int drop = 0;
        while (drop < records.Count && records[drop].Tile < windowBase) drop++;
        if (Replaying) drop = Math.Min(drop, replayNext);
        if (drop < TrimAbove / 4)
        {
            if (records.Count <= Capacity || Replaying) return;
            drop = records.Count;
        }
        completeFrom = records[drop - 1].Tile + 1;
        int first = drop < records.Count ? records[drop].Offset : valuesUsed;
        Array.Copy(values, first, values, 0, valuesUsed - first);
        valuesUsed -= first;
        records.RemoveRange(0, drop);
        for (int i = 0; i < records.Count; i++) records[i] = records[i] with { Offset = records[i].Offset - first };
        if (Replaying) replayNext -= drop;
    }
}
