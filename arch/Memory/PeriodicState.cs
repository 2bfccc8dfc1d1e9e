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
/// returns, value by value in the order they were written, Periods × (later − earlier).
/// </summary>
public sealed class PeriodicSkip(long periods, IReadOnlyList<long> earlier, IReadOnlyList<long> later)
{
    private int next;

    public long Periods { get; } = periods;

    public long Next()
    {
        long change = checked(Periods * (later[next] - earlier[next]));
        next++;
        return change;
    }

    /// <summary>Whether every value was read back (a check that writer and reader agree).</summary>
    public bool Complete => next == later.Count;
}
