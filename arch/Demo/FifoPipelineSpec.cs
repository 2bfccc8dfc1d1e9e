namespace HwSim.Arch.Demo;

/// <summary>
/// A producer that needs <see cref="ProducerCyclesPerItem"/> cycles per item feeding, through a FIFO of
/// <see cref="FifoDepth"/> entries, a consumer that needs <see cref="ConsumerCyclesPerItem"/> cycles per item.
/// </summary>
public sealed record FifoPipelineSpec(
    long Items = 1000,
    long ProducerCyclesPerItem = 2,
    long ConsumerCyclesPerItem = 3,
    int FifoDepth = 4,
    long ClockHz = 1_000_000_000,
    long MaxCycles = long.MaxValue)
{
    /// <summary>Returns the first invalid field as "field: reason", or null when the spec is valid.</summary>
    public string? Validate() =>
        Items < 1 ? $"{nameof(Items)}: must be at least 1 (got {Items})"
        : ProducerCyclesPerItem < 1 ? $"{nameof(ProducerCyclesPerItem)}: must be at least 1 (got {ProducerCyclesPerItem})"
        : ConsumerCyclesPerItem < 1 ? $"{nameof(ConsumerCyclesPerItem)}: must be at least 1 (got {ConsumerCyclesPerItem})"
        : FifoDepth < 1 ? $"{nameof(FifoDepth)}: must be at least 1 (got {FifoDepth})"
        : ClockHz < 1 || ClockHz > 1_000_000_000_000 ? $"{nameof(ClockHz)}: must be in 1 Hz .. 1 THz (got {ClockHz})"
        : MaxCycles < 1 ? $"{nameof(MaxCycles)}: must be at least 1 (got {MaxCycles})"
        : HorizonPs() > long.MaxValue
            ? $"{nameof(Items)} x ({nameof(ProducerCyclesPerItem)} + {nameof(ConsumerCyclesPerItem)}): the run could last {HorizonCycles()} cycles, past the simulator's time range of 2^63 - 1 ps at {ClockHz} Hz"
        : null;

    /// <summary>
    /// An upper bound of the cycles the run can reach, events scheduled ahead included: every item takes at most
    /// P + C cycles after the previous one (FifoPipeline's recurrence), and one more period is pending at the end.
    /// </summary>
    private Int128 HorizonCycles() =>
        Int128.Min(MaxCycles, ((Int128)Items + 1) * ((Int128)ProducerCyclesPerItem + ConsumerCyclesPerItem))
        + ProducerCyclesPerItem + ConsumerCyclesPerItem;

    /// <summary>The time of <see cref="HorizonCycles"/>, as ClockDomain computes edge times (floor(n · 10^12 / f) ps).</summary>
    private Int128 HorizonPs() => HorizonCycles() * 1_000_000_000_000 / ClockHz;
}

/// <summary>What one run of the pipeline measured (all counts exact, in cycles of the pipeline clock).</summary>
public sealed record FifoPipelineResult(
    FifoPipelineSpec Spec,
    long ItemsConsumed,
    long TotalCycles,
    long ProducerBusyCycles,
    long ProducerStallCycles,
    long ConsumerBusyCycles,
    long ConsumerStarvedCycles,
    long RefusedPushes,
    bool Completed,
    Sim.Stats.SimulationResult Simulation)
{
    public double ItemsPerCycle => TotalCycles == 0 ? 0 : (double)ItemsConsumed / TotalCycles;
}
