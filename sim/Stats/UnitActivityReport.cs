namespace HwSim.Sim.Stats;

/// <summary>
/// Time of a component made of <see cref="Units"/> identical units (DMA engines, buffer slots, one DRAM data bus, one
/// compute unit), in unit-cycles of its clock: <see cref="BusyCycles"/> + <see cref="StallCycles"/> +
/// <see cref="IdleCycles"/> = units × run cycles. <see cref="QueuedCycles"/> is the requester side of a shared
/// resource: request-cycles spent waiting in its queue for a unit (zero for components without a queue).
/// </summary>
public sealed record UnitActivityReport(
    string Name, int Units, long BusyCycles, long StallCycles, long IdleCycles, long QueuedCycles = 0)
{
    public long TotalUnitCycles => BusyCycles + StallCycles + IdleCycles;

    public double Utilization => TotalUnitCycles == 0 ? 0 : (double)BusyCycles / TotalUnitCycles;
}
