using HwSim.Arch.Spec;
using HwSim.Sim.Kernel;
using HwSim.Sim.Time;

namespace HwSim.Arch.Fast;

/// <summary>
/// The transaction-level discrete-event model. Tiles flow in program order through: a DMA load into a free buffer
/// slot (two slots when the buffers are double-buffered, so the next tile loads while this one computes), the
/// compute unit (array or vector unit, one tile at a time), and a DMA store. All transfers share one DRAM channel:
/// a transfer occupies it for ceil(bytes / bytesPerCycle) cycles plus a row-miss penalty per row buffer it opens,
/// in request order, and completes <c>latencyCycles</c> later; at most <c>dma.engines</c> transfers are in flight.
/// Everything is in integer cycles of the accelerator clock; events run on the kernel in picoseconds.
/// </summary>
public sealed class TilePipeline : IEventHandler
{
    private const long LoadDone = 0, ComputeDone = 1, StoreDone = 2, Kind = 4;

    private readonly AcceleratorSpec spec;
    private readonly Simulator simulator = new();
    private readonly ClockDomain clock;
    private readonly Func<int, Tile?> source;
    private readonly Action<int, long, long, long> opFinished;
    private readonly int slots;
    private readonly List<Tile> window = [];
    private int windowBase;

    private int nextLoad, nextCompute, inFlight, activeTransfers;
    private bool computeBusy;
    private long channelFreeCycle;
    private readonly Queue<(long Bytes, long Tag)> waitingTransfers = new();
    private readonly HashSet<int> loaded = [];
    private readonly Dictionary<int, int> pendingStores = [];
    private int currentOp = -1;
    private long currentOpStart, currentOpCompute, currentOpBusy, lastComputeEnd;

    /// <param name="source">Tile <c>i</c> of the stream, or null past the end.</param>
    /// <param name="opFinished">(op, cycles from the previous op's end, compute cycles, busy PE-cycles).</param>
    public TilePipeline(AcceleratorSpec spec, Func<int, Tile?> source, Action<int, long, long, long> opFinished)
    {
        this.spec = spec;
        this.source = source;
        this.opFinished = opFinished;
        clock = new ClockDomain("accelerator", spec.ClockHz);
        bool doubleBuffered = spec.Buffers.All(b => b.DoubleBuffered);
        slots = doubleBuffered ? 2 : 1;
    }

    public long EventsProcessed => simulator.EventsProcessed;

    /// <summary>Runs the stream to its end; returns the cycle at which the last store completed.</summary>
    public long Run()
    {
        TryLoad();
        simulator.Run();
        if (currentOp >= 0) opFinished(currentOp, lastComputeEnd - currentOpStart, currentOpCompute, currentOpBusy);
        return Math.Max(lastComputeEnd, NowCycle);
    }

    private long NowCycle => clock.CycleAtOrBefore(simulator.NowPs);

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
        while (inFlight < slots && TileAt(nextLoad) is { } tile)
        {
            if (tile.ReadsStoredOutputs && HasPendingStoresBefore(tile.Op)) return;
            inFlight++;
            int index = nextLoad++;
            if (tile.LoadBytes == 0) Schedule(NowCycle, index * Kind + LoadDone);
            else Transfer(tile.LoadBytes, index * Kind + LoadDone);
        }
    }

    private bool HasPendingStoresBefore(int op)
    {
        foreach (var (storeOp, count) in pendingStores)
            if (storeOp < op && count > 0) return true;
        return false;
    }

    private void Transfer(long bytes, long tag)
    {
        if (activeTransfers >= spec.Dma.Engines)
        {
            waitingTransfers.Enqueue((bytes, tag));
            return;
        }
        activeTransfers++;
        long start = Math.Max(NowCycle, channelFreeCycle);
        long busy = (bytes + spec.Dram.BytesPerCycle - 1) / spec.Dram.BytesPerCycle;
        if (spec.Dram.RowBufferBytes > 0) busy += (bytes + spec.Dram.RowBufferBytes - 1) / spec.Dram.RowBufferBytes * spec.Dram.RowMissPenaltyCycles;
        channelFreeCycle = start + busy;
        Schedule(channelFreeCycle + spec.Dram.LatencyCycles, tag);
    }

    private void Schedule(long cycle, long tag) => simulator.ScheduleAt(clock.EdgeTimePs(cycle), this, tag);

    public void OnEvent(long argument)
    {
        int index = (int)(argument / Kind);
        switch (argument % Kind)
        {
            case LoadDone:
                if (TileAt(index)!.Value.LoadBytes > 0) TransferFinished();
                loaded.Add(index);
                TryCompute();
                break;
            case ComputeDone:
                ComputeFinished(index);
                break;
            default:
                // Store tags carry the op, not the tile: the tile may have left the window already.
                TransferFinished();
                int op = index;
                pendingStores[op]--;
                if (pendingStores[op] == 0) pendingStores.Remove(op);
                TryLoad();
                break;
        }
    }

    private void TransferFinished()
    {
        activeTransfers--;
        if (waitingTransfers.Count > 0)
        {
            var (bytes, tag) = waitingTransfers.Dequeue();
            Transfer(bytes, tag);
        }
    }

    private void TryCompute()
    {
        if (computeBusy || !loaded.Remove(nextCompute)) return;
        var tile = TileAt(nextCompute)!.Value;
        long now = NowCycle;
        if (tile.Op != currentOp)
        {
            if (currentOp >= 0) opFinished(currentOp, lastComputeEnd - currentOpStart, currentOpCompute, currentOpBusy);
            currentOp = tile.Op;
            currentOpStart = lastComputeEnd;
            currentOpCompute = currentOpBusy = 0;
        }
        computeBusy = true;
        currentOpCompute += tile.ComputeCycles;
        currentOpBusy += tile.BusyPeCycles;
        lastComputeEnd = now + tile.ComputeCycles;
        Schedule(lastComputeEnd, nextCompute * Kind + ComputeDone);
        nextCompute++;
    }

    private void ComputeFinished(int index)
    {
        var tile = TileAt(index)!.Value;
        computeBusy = false;
        inFlight--;
        if (tile.StoreBytes > 0)
        {
            pendingStores[tile.Op] = pendingStores.GetValueOrDefault(tile.Op) + 1;
            Transfer(tile.StoreBytes, tile.Op * Kind + StoreDone);
        }
        Release(index);
        TryLoad();
        TryCompute();
    }
}
