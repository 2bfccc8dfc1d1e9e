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
    /// Writes the pool's state and the DRAM model's; false when the DRAM model's future depends on more than its
    /// timing (addresses), so repetitions cannot be skipped. Queued transfers are written through
    /// <paramref name="tagShape"/> and <paramref name="addressShape"/>(write, address), the owner's relative forms.
    /// </summary>
    public bool Capture(PeriodicState state, Func<long, long> tagShape, Func<bool, long, long> addressShape)
    {
        state.Same(pool.InUse);
        state.Cycle(pool.LastCycle);
        state.Counter(pool.HeldUnitCycles);
        state.Counter(pool.QueuedCycles);
        state.Same(pool.Waiting);
        foreach (var transfer in pool.WaitingRequests)
        {
            state.Same(tagShape(transfer.Tag));
            state.Same(addressShape(transfer.Write, transfer.Address));
            state.Same(transfer.Bytes);
            state.Same(transfer.Write ? 1 : 0);
        }
        state.Counter(waitingForDramCycles);
        return dram.Capture(state);
    }

    /// <summary>Skips repetitions; queued transfers get tags <paramref name="shiftTag"/> and addresses <paramref name="shiftAddress"/>(write, address).</summary>
    public void Skip(PeriodicSkip skip, Func<long, long> shiftTag, Func<bool, long, long> shiftAddress)
    {
        long cycles = skip.Next(), held = skip.Next(), queued = skip.Next();
        pool.SkipAhead(cycles, held, queued, t => t with { Tag = shiftTag(t.Tag), Address = shiftAddress(t.Write, t.Address) });
        waitingForDramCycles += skip.Next();
        dram.Skip(skip);
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
