using HwSim.Sim.Stats;

namespace HwSim.Arch.Memory;

/// <summary>
/// The array or the vector unit: one tile at a time. Cycles computing are busy; cycles before its last tile ended
/// without one (waiting for a load) are stalled; cycles after it (the final stores draining) are idle.
/// </summary>
public sealed class ComputeUnit(string name)
{
    private long busyCycles;

    public bool Busy { get; private set; }

    /// <summary>End of the latest tile.</summary>
    public long LastEndCycle { get; private set; }

    /// <summary>Starts a tile of <paramref name="cycles"/>; returns the cycle it ends.</summary>
    public long Start(long nowCycle, long cycles)
    {
        if (Busy) throw new InvalidOperationException($"{name} started a tile while busy");
        Busy = true;
        busyCycles += cycles;
        LastEndCycle = nowCycle + cycles;
        return LastEndCycle;
    }

    public void Finish() => Busy = false;

    public void Capture(PeriodicState state)
    {
        state.Same(Busy ? 1 : 0);
        state.Cycle(LastEndCycle);
        state.Counter(busyCycles);
    }

    public void Skip(PeriodicSkip skip)
    {
        LastEndCycle += skip.Next();
        busyCycles += skip.Next();
    }

    public UnitActivityReport Activity(long endCycle) =>
        new(name, 1, busyCycles, LastEndCycle - busyCycles, Math.Max(endCycle, LastEndCycle) - LastEndCycle);
}
