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
    // For a timeline only: the cycle each engine's transfer ends, to tell which engine a starting transfer takes.
    private long[]? engineFreeCycle;
    private Action<int, long, long, long, bool, long>? observer;
    // The shifts of the skip in progress, read through one delegate made at the first skip.
    private Func<long, long>? skipTag;
    private Func<bool, long, long>? skipAddress;
    private Func<Transfer, Transfer>? shiftWaiting;

    public int Engines => engines;

    /// <summary>
    /// Tells <paramref name="listener"/>(engine, start cycle, end cycle, bytes, write, tag) of every transfer as it
    /// starts on an engine: the lowest-numbered engine free at that cycle (engines are interchangeable, so this is a
    /// labelling only).
    /// </summary>
    public void Observe(Action<int, long, long, long, bool, long> listener)
    {
        observer = listener;
        engineFreeCycle = new long[engines];
        Array.Fill(engineFreeCycle, long.MinValue);
    }

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
        if (observer is not null) Report(nowCycle, end, transfer);
        completed(end, transfer.Tag);
    }

    private void Report(long nowCycle, long end, in Transfer transfer)
    {
        int engine = 0;
        for (int e = 0; e < engineFreeCycle!.Length; e++)
        {
            if (engineFreeCycle[e] <= nowCycle)
            {
                engine = e;
                break;
            }
            if (engineFreeCycle[e] < engineFreeCycle[engine]) engine = e;
        }
        engineFreeCycle[engine] = end;
        observer!(engine, nowCycle, end, transfer.Bytes, transfer.Write, transfer.Tag);
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
        (skipTag, skipAddress) = (shiftTag, shiftAddress);
        pool.SkipAhead(cycles, held, queued, shiftWaiting ??= ShiftWaiting);
        waitingForDramCycles += skip.Next();
        dram.Skip(skip);
    }

    private Transfer ShiftWaiting(Transfer transfer) =>
        transfer with { Tag = skipTag!(transfer.Tag), Address = skipAddress!(transfer.Write, transfer.Address) };

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
