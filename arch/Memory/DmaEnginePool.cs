using HwSim.Sim.Resources;
using HwSim.Sim.Stats;

namespace HwSim.Arch.Memory;

/// <summary>
/// <c>dma.engines</c> DMA engines as a kernel resource: a transfer takes a free engine or queues first come, first
/// served; on its engine it is issued to the DRAM model as bursts of <c>dma.burstBytes</c>, and the engine stays
/// held until its last byte arrives (<see cref="Finished"/>). Completion is reported through
/// <c>completed(cycle, tag)</c>, which the owner turns into a kernel event.
/// </summary>
public sealed class DmaEnginePool(int engines, long burstBytes, IDramModel dram, Action<long, long> completed)
{
    private readonly record struct Transfer(long Address, long Bytes, bool Write, long Tag);

    private readonly Resource<Transfer> pool = new("dma", engines);
    private long waitingForDramCycles;

    public void Issue(long nowCycle, long address, long bytes, bool write, long tag)
    {
        var transfer = new Transfer(address, bytes, write, tag);
        if (pool.Request(nowCycle, transfer)) Start(nowCycle, transfer);
    }

    /// <summary>A transfer completed: its engine serves the oldest queued transfer, if any.</summary>
    public void Finished(long nowCycle)
    {
        if (pool.Release(nowCycle, out var next)) Start(nowCycle, next);
    }

    private void Start(long nowCycle, in Transfer transfer)
    {
        long end = dram.Serve(nowCycle, new DramRequest(transfer.Address, transfer.Bytes, burstBytes, transfer.Write));
        waitingForDramCycles += dram.LastStartCycle - nowCycle;
        completed(end, transfer.Tag);
    }

    /// <summary>
    /// Engine-cycles holding a transfer the DRAM serves are busy, those holding one queued behind earlier transfers
    /// at the DRAM stalled; transfer-cycles spent waiting for a free engine are queued.
    /// </summary>
    public UnitActivityReport Activity(long endCycle)
    {
        var held = pool.Report(endCycle);
        return held with { BusyCycles = held.BusyCycles - waitingForDramCycles, StallCycles = waitingForDramCycles };
    }
}
