namespace HwSim.Arch.Memory;

/// <summary>
/// The state of the tile pipeline and its memory system at one cycle, written so that repetitions can be found and
/// skipped: <see cref="Shape"/> holds what must be equal for two states to evolve alike (occupancies, times relative
/// to <see cref="NowCycle"/>, queued work), <see cref="Values"/> what grows from one repetition to the next (absolute
/// cycles, accumulated statistics). Components write their parts in a fixed order and read them back in the same
/// order through <see cref="PeriodicSkip"/>.
/// </summary>
public sealed class PeriodicState
{
    public long NowCycle { get; private set; }

    /// <summary>Empties the state for a new capture at <paramref name="nowCycle"/> (one object serves every capture).</summary>
    public void Reset(long nowCycle)
    {
        NowCycle = nowCycle;
        Shape.Clear();
        Values.Clear();
    }

    public List<long> Shape { get; } = [];

    public List<long> Values { get; } = [];

    /// <summary>A value that must be equal.</summary>
    public void Same(long value) => Shape.Add(value);

    /// <summary>An absolute cycle: equal relative to now, and shifted by the skipped cycles.</summary>
    public void Cycle(long cycle)
    {
        Shape.Add(cycle - NowCycle);
        Values.Add(cycle);
    }

    /// <summary>An accumulated statistic: grows by its change over one repetition per repetition skipped.</summary>
    public void Counter(long value) => Values.Add(value);
}

/// <summary>
/// Skips <see cref="Periods"/> repetitions of the change between two states of equal shape: <see cref="Next"/>
/// returns, value by value in the order they were written, Periods × (later − earlier). One object can serve every
/// skip of a run (<see cref="Set"/>): a run skips hundreds of thousands of times.
/// </summary>
public sealed class PeriodicSkip
{
    private long[] changes = [];
    private int count, next;

    public PeriodicSkip()
    {
    }

    public PeriodicSkip(long periods, IReadOnlyList<long> earlier, IReadOnlyList<long> later) => Set(periods, [.. earlier], [.. later]);

    public long Periods { get; private set; }

    /// <summary>Makes this the skip of <paramref name="periods"/> repetitions of the change from <paramref name="earlier"/> to <paramref name="later"/>.</summary>
    public PeriodicSkip Set(long periods, ReadOnlySpan<long> earlier, ReadOnlySpan<long> later)
    {
        if (earlier.Length != later.Length) throw new ArgumentException($"states of {earlier.Length} and {later.Length} values");
        Periods = periods;
        if (changes.Length < later.Length) changes = new long[later.Length];
        count = later.Length;
        next = 0;
        for (int i = 0; i < count; i++) changes[i] = later[i] - earlier[i];
        return this;
    }

    public long Next()
    {
        if (next >= count) throw new ArgumentOutOfRangeException(nameof(Next), "every value was read back already");
        return checked(Periods * changes[next++]);
    }

    /// <summary>Whether every value was read back (a check that writer and reader agree).</summary>
    public bool Complete => next == count;
}
