using HwSim.Arch.Memory;
using HwSim.Arch.Spec;
using HwSim.Sim.Kernel;
using HwSim.Sim.Resources;
using HwSim.Sim.Stats;
using HwSim.Sim.Time;

namespace HwSim.Arch.Fast;

/// <summary>
/// The transaction-level discrete-event model. Tiles flow in program order through: a DMA load into a free buffer
/// slot (two slots when the buffers are double-buffered, so the next tile loads while this one computes), the
/// compute unit (array or vector unit, one tile at a time), and a DMA store. Slots and DMA engines are kernel
/// resources (<see cref="Resource{TRequest}"/>); every transfer goes through the <see cref="DmaEnginePool"/> to the
/// DRAM model the description picks (<see cref="DramSpec"/>). Everything is in integer cycles of the accelerator
/// clock; events run on the kernel in picoseconds.
/// </summary>
/// <remarks>
/// Default DRAM placement (tiles without addresses): op instance i owns the region starting at i × 2^36 bytes
/// (64 GiB, more than any op's operands; 2^27 op instances fit a signed 64-bit address); its loads are laid one after
/// another from the region's start and its stores from its middle, each transfer starting on a 4 KiB boundary. Distinct operands of distinct ops thus never share a DRAM row, and each transfer is
/// sequential.
/// </remarks>
public sealed class TilePipeline : IEventHandler
{
    private const long LoadDone = 0, ComputeDone = 1, StoreDone = 2, Kind = 4;
    // Placement only: 2^36 bytes per op instance leaves room for any op's operands, so regions never overlap, and
    // 4 KiB alignment makes every transfer start on an access and DMA-burst boundary of any power-of-two size up
    // to that (the banked model then prices whole rows at once); the simple model ignores addresses.
    private const int OpRegionBits = 36;
    private const long TransferAlignBytes = 4096;

    private readonly Simulator simulator = new();
    private readonly ClockDomain clock;
    private readonly Func<int, Tile?> source;
    private readonly Action<int, long, long, long> opFinished;
    private readonly Resource<int> slots;
    private readonly DmaEnginePool dma;
    private readonly IDramModel dram;
    private readonly ComputeUnit compute = new("compute");
    private readonly List<Tile> window = [];
    private int windowBase;

    private long now;
    private int nextLoad, nextCompute;
    private readonly Dictionary<int, long> loadedAtCycle = [];
    private readonly Dictionary<int, int> pendingStores = [];
    private int currentOp = -1;
    private long currentOpStart, currentOpCompute, currentOpBusy;
    private int loadOp = -1, storeOp = -1;
    private long loadCursor, storeCursor, loadedWaitingCycles;

    /// <param name="source">Tile <c>i</c> of the stream, or null past the end.</param>
    /// <param name="opFinished">(op, cycles from the previous op's end, compute cycles, busy PE-cycles).</param>
    public TilePipeline(AcceleratorSpec spec, Func<int, Tile?> source, Action<int, long, long, long> opFinished)
    {
        this.source = source;
        this.opFinished = opFinished;
        clock = new ClockDomain("accelerator", spec.ClockHz);
        bool doubleBuffered = spec.Buffers.All(b => b.DoubleBuffered);
        slots = new Resource<int>("buffer slots", doubleBuffered ? 2 : 1);
        dram = spec.Dram.CreateModel(spec.ClockHz);
        dma = new DmaEnginePool(spec.Dma.Engines, spec.Dma.BurstBytes, dram, Schedule);
    }

    public long EventsProcessed => simulator.EventsProcessed;

    /// <summary>Runs the stream to its end; returns the cycle at which the last store completed.</summary>
    public long Run()
    {
        TryLoad();
        simulator.Run();
        now = clock.CycleAtOrBefore(simulator.NowPs);
        if (currentOp >= 0) opFinished(currentOp, compute.LastEndCycle - currentOpStart, currentOpCompute, currentOpBusy);
        return Math.Max(compute.LastEndCycle, now);
    }

    /// <summary>Busy, stall and idle cycles of the compute unit, DMA engines, buffer slots and DRAM up to <paramref name="endCycle"/>.</summary>
    public IReadOnlyList<UnitActivityReport> Activity(long endCycle)
    {
        // A slot holding loaded data the compute unit has not started on is stalled, not busy.
        var held = slots.Report(endCycle);
        var slotActivity = held with { BusyCycles = held.BusyCycles - loadedWaitingCycles, StallCycles = loadedWaitingCycles };
        return [compute.Activity(endCycle), dma.Activity(endCycle), slotActivity, dram.Activity(endCycle)];
    }

    private Tile? TileAt(int index)
    {
        while (windowBase + window.Count <= index)
        {
            if (source(windowBase + window.Count) is not { } tile) return null;
            window.Add(tile);
        }
        return window[index - windowBase];
    }

    private void Release(int index)
    {
        // Tiles up to the one that just computed are no longer needed; drop them in batches.
        int drop = Math.Min(index + 1 - windowBase, window.Count);
        if (drop > 1024)
        {
            window.RemoveRange(0, drop);
            windowBase += drop;
        }
    }

    private void TryLoad()
    {
        while (slots.InUse < slots.Capacity && TileAt(nextLoad) is { } tile)
        {
            if (tile.ReadsStoredOutputs && HasPendingStoresBefore(tile.Op)) return;
            slots.TryAcquire(now);
            int index = nextLoad++;
            if (tile.LoadBytes == 0) Schedule(now, index * Kind + LoadDone);
            else dma.Issue(now, LoadAddress(tile), tile.LoadBytes, write: false, index * Kind + LoadDone);
        }
    }

    private long LoadAddress(in Tile tile)
    {
        if (tile.Op != loadOp)
        {
            loadOp = tile.Op;
            loadCursor = (long)tile.Op << OpRegionBits;
        }
        long address = tile.LoadAddress == Tile.Placed ? loadCursor : tile.LoadAddress;
        loadCursor += Aligned(tile.LoadBytes);
        return address;
    }

    private long StoreAddress(in Tile tile)
    {
        if (tile.Op != storeOp)
        {
            storeOp = tile.Op;
            storeCursor = ((long)tile.Op << OpRegionBits) + (1L << (OpRegionBits - 1));
        }
        long address = tile.StoreAddress == Tile.Placed ? storeCursor : tile.StoreAddress;
        storeCursor += Aligned(tile.StoreBytes);
        return address;
    }

    private static long Aligned(long bytes) => (bytes + TransferAlignBytes - 1) / TransferAlignBytes * TransferAlignBytes;

    private bool HasPendingStoresBefore(int op)
    {
        foreach (var (storeOp, count) in pendingStores)
            if (storeOp < op && count > 0) return true;
        return false;
    }

    private void Schedule(long cycle, long tag) => simulator.ScheduleAt(clock.EdgeTimePs(cycle), this, tag);

    public void OnEvent(long argument)
    {
        now = clock.CycleAtOrBefore(simulator.NowPs);
        int index = (int)(argument / Kind);
        switch (argument % Kind)
        {
            case LoadDone:
                if (TileAt(index)!.Value.LoadBytes > 0) dma.Finished(now);
                loadedAtCycle.Add(index, now);
                TryCompute();
                break;
            case ComputeDone:
                ComputeFinished(index);
                break;
            default:
                // Store tags carry the op, not the tile: the tile may have left the window already.
                dma.Finished(now);
                int op = index;
                pendingStores[op]--;
                if (pendingStores[op] == 0) pendingStores.Remove(op);
                TryLoad();
                break;
        }
    }

    private void TryCompute()
    {
        if (compute.Busy || !loadedAtCycle.Remove(nextCompute, out long loadedAt)) return;
        loadedWaitingCycles += now - loadedAt;
        var tile = TileAt(nextCompute)!.Value;
        if (tile.Op != currentOp)
        {
            if (currentOp >= 0) opFinished(currentOp, compute.LastEndCycle - currentOpStart, currentOpCompute, currentOpBusy);
            currentOp = tile.Op;
            currentOpStart = compute.LastEndCycle;
            currentOpCompute = currentOpBusy = 0;
        }
        currentOpCompute += tile.ComputeCycles;
        currentOpBusy += tile.BusyPeCycles;
        Schedule(compute.Start(now, tile.ComputeCycles), nextCompute * Kind + ComputeDone);
        nextCompute++;
    }

    private void ComputeFinished(int index)
    {
        var tile = TileAt(index)!.Value;
        compute.Finish();
        slots.Release(now, out _);
        if (tile.StoreBytes > 0)
        {
            pendingStores[tile.Op] = pendingStores.GetValueOrDefault(tile.Op) + 1;
            dma.Issue(now, StoreAddress(tile), tile.StoreBytes, write: true, tile.Op * Kind + StoreDone);
        }
        Release(index);
        TryLoad();
        TryCompute();
    }
}
