namespace HwSim.Sim.Stats;

/// <summary>Busy, idle and stalled time of one component, in its own clock cycles and in picoseconds.</summary>
public sealed record ActivityReport(
    long BusyCycles, long IdleCycles, long StallCycles, long BusyPs, long IdlePs, long StallPs)
{
    public long TotalCycles => BusyCycles + IdleCycles + StallCycles;
    public double Utilization => TotalCycles == 0 ? 0 : (double)BusyCycles / TotalCycles;
}

public sealed record CounterReport(string Name, long Value);

public sealed record HistogramReport(
    string Name, long Low, long BinWidth, IReadOnlyList<long> Bins, long Underflow, long Overflow,
    long Count, long Sum, long Min, long Max)
{
    public double Mean => Count == 0 ? 0 : (double)Sum / Count;
}

public sealed record ComponentReport(
    string Name, string Clock, ActivityReport? Activity,
    IReadOnlyList<CounterReport> Counters, IReadOnlyList<HistogramReport> Histograms)
{
    public long Counter(string name) =>
        Counters.FirstOrDefault(c => c.Name == name)?.Value
        ?? throw new KeyNotFoundException($"component '{Name}' has no counter '{name}'");
}

/// <summary>Everything a run measured, in registration order of the components.</summary>
public sealed record SimulationResult(
    long EndTimePs, long EventsProcessed, long EventsCancelled, IReadOnlyList<ComponentReport> Components)
{
    public ComponentReport Component(string name) =>
        Components.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"no component '{name}' in the result");
}
