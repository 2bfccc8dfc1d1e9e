using System.Runtime.InteropServices;
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
/// <para>
/// Skipping repetitions (unless the run asks for every event): when a tile starts computing, the pipeline writes its
/// state (<see cref="PeriodicState"/>: pending kernel events, DMA queue, DRAM channel, slots, loaded tiles, pending
/// stores, all relative to the current cycle, tile and op) and looks for an earlier tile whose state had the same
/// shape. If one is found p tiles and q ops back (q = 0: block steps of one op; q &gt; 0: e.g. the layers of a decode
/// step), Δ cycles earlier, and the tile stream repeats with that period (tiles equal but for their op, q further) as
/// far as the pipeline will read during the next n periods, those periods would run exactly as the last one did,
/// shifted by Δ: the pipeline moves every pending event n·Δ cycles later (in cycles, so that clocks whose period is
/// not a whole number of picoseconds round as they would), adds n times the last period's change to every statistic,
/// reports the ops the last period finished again for each skipped period (q ops on) and skips n·p tiles.
/// <see cref="EventsProcessed"/> counts the skipped events too, so it is the same either way. Only with a DRAM model
/// whose timing does not depend on addresses (<see cref="IDramModel.Capture"/>).
/// The stream comes as op instances (<see cref="TileBlock"/>) whose tiles are shared templates: the look-ahead
/// compares two ops that start a period apart and share a template in one step, and walks run by run elsewhere.
/// A source that knows which of its coming op instances repeat earlier ones (<see cref="InstanceRepeats"/>: the
/// layers of a decode step) lets the look-ahead take them on its word, and the skip then passes over those instances
/// without their tiles; the tiles passed over must fill the skipped periods exactly, or the run stops with an error.
/// A look-ahead that compared a period from an earlier tile is not repeated: it ends where that one did.
/// </para>
/// </remarks>
public sealed class TilePipeline : IEventHandler
{
    private const long LoadDone = 0, ComputeDone = 1, StoreDone = 2, Kind = 4;
    // Placement only: 2^36 bytes per op instance leaves room for any op's operands, so regions never overlap, and
    // 4 KiB alignment makes every transfer start on an access and DMA-burst boundary of any power-of-two size up
    // to that (the banked model then prices whole rows at once); the simple model ignores addresses.
    private const int OpRegionBits = 36;
    private const long TransferAlignBytes = 4096;
    // Repetition search: the longest period looked for (tiles kept behind the computing one).
    private const int MaxPeriodTiles = 1 << 16;

    private readonly Simulator simulator = new();
    private readonly ClockDomain clock;
    private readonly Func<TileBlock?> source;
    private readonly InstanceRepeats? repeats;
    // A stretch of op instances the stream's producer passed over (InstanceRepeats.PassTo): it holds their tiles'
    // indices in the window but no tiles; the pipeline never reads them, and a repetition never reaches into it.
    private static readonly TileTemplate PassedOver = new([]);
    private readonly Action<int, long, long, long> opFinished;
    private readonly Resource<int> slots;
    private readonly DmaEnginePool dma;
    private readonly IDramModel dram;
    private readonly ComputeUnit compute = new("compute");
    // The window of the stream: the op instances' tiles and the index of each one's first tile.
    private readonly List<TileBlock> blocks = [];
    private readonly List<long> blockStarts = [];
    private long blocksEnd;
    private int lastBlock;
    // The op (window position) and run of the latest tile looked up.
    private int lastTileBlock = -1, lastTileRun;
    // The tile index ranges and tiles of the two runs looked up last (the stream never changes: they stay right).
    private readonly (long From, long To, Tile Tile)[] recentRuns = new (long, long, Tile)[2];
    private int nextRecentRun;
    private bool sourceDone;

    private long now;
    private long nextLoad, nextCompute;
    private readonly Dictionary<long, long> loadedAtCycle = [];
    private readonly Dictionary<int, int> pendingStores = [];
    private int currentOp = -1;
    private long currentOpStart, currentOpCompute, currentOpBusy;
    private readonly Placement loadPlacement = new(0), storePlacement = new(1L << (OpRegionBits - 1));
    private long loadedWaitingCycles;

    private bool skipRepeats;
    private long startedTile = -1;
    private int captureOp;
    // Ops finished so far (op, cycles, compute, busy PE-cycles): a skipped period finishes its ops again.
    // Held from the first op still in the window on (<see cref="finishedBase"/> entries before it dropped): a period
    // starts at a tile in the window, and every op before that tile's op had finished when it started computing.
    private readonly List<(int Op, long Cycles, long Compute, long Busy)> finished = [];
    private long finishedBase;
    private long skippedEvents;
    private readonly PipelineStateHistory history = new();
    private readonly SkipLog skipLog = new();
    private readonly PeriodicSkip reusedSkip = new();
    // Per candidate period (tiles, ops): the latest look-ahead's first tile and the end of the repetition it found.
    private Dictionary<(long Period, int Ops), (long From, long End)> repetitionEnds = [];
    private const int MaxRepetitionEnds = 1 << 10;
    private readonly List<PendingEvent> pending = [];
    private readonly List<(long, long)> sorted = [];
    private readonly PeriodicState state = new();
    private readonly long[] auxValues = new long[7];
    private readonly Func<long, long> tagShape;
    private readonly Func<bool, long, long> addressShape;
    private long captureTile;
    // The skip in progress, read by delegates made once (a skip happens about 70 times per decode step).
    private long skipCycles, skipTiles, skipLoadBytes, skipStoreBytes;
    private int skipOps;
    private readonly Func<long, long, (long TimePs, long Argument)> shiftPending;
    private readonly Func<long, long> shiftTag;
    private readonly Func<bool, long, long> shiftAddress;
    private readonly List<KeyValuePair<long, long>> loadedScratch = [];
    private readonly List<KeyValuePair<int, int>> storesScratch = [];
    // The buffer slots' queued requests carry nothing tile-relative: a skip leaves them as they are.
    private static readonly Func<int, int> Unchanged = request => request;
    // Timeline (null: none): labels (op, tile within op; −1 for stores) of DMA transfers in issue order, which is
    // the order they start in; the ops whose first tile loaded / computed last; bytes the buffer slots hold.
    private readonly RunTrace? trace;
    private readonly Queue<(int Op, int Tile)> transferLabels = new();
    private int traceLoadOp = -1, traceComputeOp = -1;
    private long traceLoadFirst, traceComputeFirst;
    private long slotBytes;

    /// <param name="source">The tiles of the stream's next op instance, or null past the end.</param>
    /// <param name="opFinished">(op, cycles from the previous op's end, compute cycles, busy PE-cycles).</param>
    /// <param name="fullEvents">Run every event instead of skipping repetitions (same results, for checking).</param>
    /// <param name="trace">Where to write a timeline (bound to the run's ops); repetitions are not skipped while it traces.</param>
    /// <param name="repeats">
    /// What the source knows of its coming op instances (null: nothing): a repetition of whole op instances that it
    /// vouches for is skipped without reading the repeated instances' tiles.
    /// </param>
    public TilePipeline(AcceleratorSpec spec, Func<TileBlock?> source, Action<int, long, long, long> opFinished, bool fullEvents = false,
        RunTrace? trace = null, InstanceRepeats? repeats = null)
    {
        this.repeats = repeats;
        skipRepeats = !fullEvents;
        tagShape = tag => TagShape(tag, captureTile, captureOp);
        addressShape = (write, address) => (write ? storePlacement.Cursor : loadPlacement.Cursor) - address;
        shiftTag = tag => ShiftTag(tag, skipTiles, skipOps);
        shiftAddress = (write, address) => address + (write ? skipStoreBytes : skipLoadBytes);
        this.source = source;
        this.opFinished = opFinished;
        clock = new ClockDomain("accelerator", spec.ClockHz);
        shiftPending = (time, tag) => (clock.EdgeTimePs(clock.CycleAtOrBefore(time) + skipCycles), ShiftTag(tag, skipTiles, skipOps));
        bool doubleBuffered = spec.Buffers.All(b => b.DoubleBuffered);
        slots = new Resource<int>("buffer slots", doubleBuffered ? 2 : 1);
        dram = spec.Dram.CreateModel(spec.ClockHz);
        dma = new DmaEnginePool(spec.Dma.Engines, spec.Dma.BurstBytes, dram, Schedule);
        this.trace = trace;
        if (trace is not null)
        {
            trace.Begin(clock, dma.Engines, dram.TraceTracks);
            dram.Observer = activity =>
            {
                if (Tracing) trace.Dram(activity);
            };
            dma.Observe(OnTransfer);
        }
    }

    /// <summary>Whether the timeline still records (then nothing is skipped).</summary>
    private bool Tracing => trace is not null && !trace.Done(now);

    private void OnTransfer(int engine, long start, long end, long bytes, bool write, long tag)
    {
        if (transferLabels.Count == 0) return;
        var (op, tile) = transferLabels.Dequeue();
        trace!.Transfer(engine, op, tile, start, end, bytes, write);
    }

    /// <summary>Kernel events of the run, skipped ones included (the count of the event-by-event run).</summary>
    public long EventsProcessed => simulator.EventsProcessed + skippedEvents;

    /// <summary>Kernel events actually run (fewer than <see cref="EventsProcessed"/> when repetitions were skipped).</summary>
    public long EventsRun => simulator.EventsProcessed;

    /// <summary>Runs the stream to its end; returns the cycle at which the last store completed.</summary>
    public long Run()
    {
        TryLoad();
        simulator.Run();
        now = clock.CycleAtOrBefore(simulator.NowPs);
        if (currentOp >= 0) Finish(currentOp, compute.LastEndCycle - currentOpStart, currentOpCompute, currentOpBusy);
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

    /// <summary>The first tile index still in the window.</summary>
    private long WindowBase => blocks.Count > 0 ? blockStarts[0] : blocksEnd;

    private Tile? TileAt(long index)
    {
        // The loads and the computations each read within one run for long stretches: one remembered run each.
        if (index >= recentRuns[0].From && index < recentRuns[0].To) return recentRuns[0].Tile;
        if (index >= recentRuns[1].From && index < recentRuns[1].To) return recentRuns[1].Tile;
        int at = BlockAt(index);
        if (at < 0) return null;
        var block = blocks[at];
        if (IsPassedOver(at)) throw new InvalidOperationException($"tile {index} lies in a stretch the stream passed over");
        int offset = (int)(index - blockStarts[at]);
        // Most look-ups fall in the run of the previous one or the next: search the op's runs only otherwise.
        if (at != lastTileBlock || !InRun(block.Tiles, lastTileRun, offset))
        {
            lastTileRun = at == lastTileBlock && InRun(block.Tiles, lastTileRun + 1, offset) ? lastTileRun + 1 : block.Tiles.RunAt(offset);
            lastTileBlock = at;
        }
        var tile = block.Tiles[lastTileRun].Tile with { Op = block.Op };
        long from = blockStarts[at] + block.Tiles.Start(lastTileRun);
        recentRuns[nextRecentRun] = (from, from + block.Tiles[lastTileRun].Count, tile);
        nextRecentRun ^= 1;
        return tile;
    }

    private static bool InRun(TileTemplate tiles, int run, int offset) => run < tiles.RunCount && tiles.Start(run) <= offset && offset < tiles.End(run);

    /// <summary>The window position of the op holding tile <paramref name="index"/> (at or after <see cref="WindowBase"/>), or -1 past the stream's end.</summary>
    private int BlockAt(long index)
    {
        while (blocksEnd <= index)
        {
            if (sourceDone || source() is not { } block)
            {
                sourceDone = true;
                return -1;
            }
            if (block.Tiles.TileCount == 0) continue;
            blocks.Add(block);
            blockStarts.Add(blocksEnd);
            blocksEnd = checked(blocksEnd + block.Tiles.TileCount);
        }
        // Most look-ups fall in the op of the previous one or the next.
        if (InBlock(lastBlock, index)) return lastBlock;
        if (InBlock(lastBlock + 1, index)) return ++lastBlock;
        int found = blockStarts.BinarySearch(index);
        lastBlock = found >= 0 ? found : ~found - 1;
        return lastBlock;
    }

    private bool InBlock(int block, long index) =>
        block < blocks.Count && blockStarts[block] <= index && index - blockStarts[block] < BlockLength(block);

    /// <summary>Tiles of the window's block <paramref name="block"/> (a passed-over stretch has no template of its own).</summary>
    private long BlockLength(int block) => (block + 1 < blocks.Count ? blockStarts[block + 1] : blocksEnd) - blockStarts[block];

    private bool IsPassedOver(int block) => ReferenceEquals(blocks[block].Tiles, PassedOver);

    private void Release(long index)
    {
        // Tiles up to the one that just computed are no longer needed, except as the earlier period of a repetition;
        // drop whole ops in batches.
        long cutoff = index + 1 - MaxPeriodTiles;
        if (blocks.Count < 1024 || cutoff <= WindowBase) return;
        // Ops before the one holding the cutoff end at or before it.
        int found = blockStarts.BinarySearch(cutoff);
        int drop = found >= 0 ? found : ~found - 1;
        if (drop > 512)
        {
            blocks.RemoveRange(0, drop);
            blockStarts.RemoveRange(0, drop);
            lastBlock = 0;
            lastTileBlock = -1;
            int firstOp = blocks[0].Op, done = 0;
            while (done < finished.Count && finished[done].Op < firstOp) done++;
            finished.RemoveRange(0, done);
            finishedBase += done;
        }
    }

    private void TryLoad()
    {
        while (slots.InUse < slots.Capacity && TileAt(nextLoad) is { } tile)
        {
            if (tile.ReadsStoredOutputs && HasPendingStoresBefore(tile.Op)) return;
            slots.TryAcquire(now);
            long index = nextLoad++;
            if (Tracing) TraceLoad(index, tile);
            if (tile.LoadBytes == 0) Schedule(now, index * Kind + LoadDone);
            else dma.Issue(now, loadPlacement.Next(tile.Op, tile.LoadAddress, tile.LoadBytes), tile.LoadBytes, write: false, index * Kind + LoadDone);
        }
    }

    private void TraceLoad(long index, in Tile tile)
    {
        if (tile.Op != traceLoadOp)
        {
            traceLoadOp = tile.Op;
            traceLoadFirst = index;
        }
        slotBytes += tile.LoadBytes;
        trace!.Slots(now, slots.InUse, slotBytes);
        if (tile.LoadBytes > 0) transferLabels.Enqueue((tile.Op, (int)(index - traceLoadFirst)));
    }

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
        long index = argument / Kind;
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
                int op = (int)index;
                pendingStores[op]--;
                if (pendingStores[op] == 0) pendingStores.Remove(op);
                TryLoad();
                break;
        }
        // A tile starts computing only at the end of a handler: the state is complete here.
        if (startedTile >= 0 && skipRepeats) SkipRepeats(startedTile);
        startedTile = -1;
    }

    private void TryCompute()
    {
        if (compute.Busy || !loadedAtCycle.Remove(nextCompute, out long loadedAt)) return;
        loadedWaitingCycles += now - loadedAt;
        var tile = TileAt(nextCompute)!.Value;
        if (tile.Op != currentOp)
        {
            if (currentOp >= 0) Finish(currentOp, compute.LastEndCycle - currentOpStart, currentOpCompute, currentOpBusy);
            currentOp = tile.Op;
            currentOpStart = compute.LastEndCycle;
            currentOpCompute = currentOpBusy = 0;
        }
        currentOpCompute += tile.ComputeCycles;
        currentOpBusy += tile.BusyPeCycles;
        if (Tracing)
        {
            if (tile.Op != traceComputeOp)
            {
                traceComputeOp = tile.Op;
                traceComputeFirst = nextCompute;
            }
            trace!.Compute(tile.Op, (int)(nextCompute - traceComputeFirst), now, tile.ComputeCycles, tile.LoadBytes);
        }
        Schedule(compute.Start(now, tile.ComputeCycles), nextCompute * Kind + ComputeDone);
        startedTile = nextCompute;
        nextCompute++;
    }

    private void ComputeFinished(long index)
    {
        var tile = TileAt(index)!.Value;
        compute.Finish();
        slots.Release(now, out _);
        bool tracing = Tracing;
        if (tracing)
        {
            slotBytes -= tile.LoadBytes;
            trace!.Slots(now, slots.InUse, slotBytes);
        }
        if (tile.StoreBytes > 0)
        {
            pendingStores[tile.Op] = pendingStores.GetValueOrDefault(tile.Op) + 1;
            if (tracing) transferLabels.Enqueue((tile.Op, -1));
            dma.Issue(now, storePlacement.Next(tile.Op, tile.StoreAddress, tile.StoreBytes), tile.StoreBytes, write: true, tile.Op * Kind + StoreDone);
        }
        Release(index);
        TryLoad();
        TryCompute();
    }

    /// <summary>At the start of tile <paramref name="tile"/>: skips whole repetitions of the last period, if the state and the tile stream repeat.</summary>
    private void SkipRepeats(long tile)
    {
        if (Tracing) return;
        if (skipLog.Replaying && ReplaySkip(tile)) return;
        // A period can only be skipped if the stream goes on past the tiles already loading.
        if (TileAt(nextLoad + 1) is null) return;
        int op = TileAt(tile)!.Value.Op;
        if (!Capture(tile, op, state))
        {
            // The DRAM model depends on addresses: nothing will be skipped in this run.
            skipRepeats = false;
            return;
        }
        var aux = Aux(op);
        if (!history.TryFind(CollectionsMarshal.AsSpan(state.Shape), out var earlier))
        {
            history.Record([.. state.Shape], new PipelineSnapshot(tile, op, [.. state.Values], aux.ToArray(), finishedBase + finished.Count));
            return;
        }
        long period = tile - earlier.Tile;
        int ops = op - earlier.Op;
        // Within an op its start, compute and busy counters and its DRAM offsets grow linearly; a period that crosses
        // ops must find them equal (each op starts them afresh).
        long repetitionEnd = 0;
        long periods = earlier.Tile >= WindowBase && (ops == 0 || earlier.Aux.AsSpan().SequenceEqual(aux))
            ? RepeatingPeriods(tile, period, ops, out repetitionEnd) : 0;
        if (periods > 0)
        {
            long tiles = SkipAndRecord(tile, period, ops, periods, repetitionEnd, earlier.Finished, earlier.Values,
                CollectionsMarshal.AsSpan(state.Values));
            // The state now has the same shape, and each value grew by the skip: no need to capture it again.
            var values = earlier.Values;
            for (int i = 0; i < values.Length; i++) values[i] = checked(state.Values[i] + periods * (state.Values[i] - values[i]));
            earlier.Replace(tile + tiles, op + (int)(periods * ops), values, Copy(aux, earlier.Aux), finishedBase + finished.Count);
        }
        else
        {
            // A repetition across ops too short to skip (e.g. the layers before a decode step's attention, one step
            // after the last) is replayed. One within an op is not: the search finds a shorter period there within a few
            // tiles, where a replay would repeat however the earlier stretch went.
            if (ops > 0 && repetitionEnd > ReadsBelow(tile)) skipLog.Mirror(tile, period, repetitionEnd);
            // The earlier snapshot is replaced: its arrays take the new values (most tile starts come here).
            earlier.Replace(tile, op, Copy(CollectionsMarshal.AsSpan(state.Values), earlier.Values), Copy(aux, earlier.Aux),
                finishedBase + finished.Count);
        }
    }

    /// <summary>
    /// While the rest of a repetition is replayed (<see cref="SkipLog"/>): takes the skip taken at the mirrored tile,
    /// if any; false when the replay ends here and the state must be searched again.
    /// </summary>
    private bool ReplaySkip(long tile)
    {
        if (!skipLog.Replay(tile, ReadsBelow(tile), out var replayed)) return false;
        if (replayed is not { } logged) return true;
        if (logged.Ops == 0)
        {
            Skip(reusedSkip.Set(logged.Periods, logged.Earlier, logged.Later), logged.Period * logged.Periods, 0,
                finishedBase + finished.Count, logged.Periods, 0);
            return true;
        }
        // A skip across ops, for as many periods as the stream repeats from here; the period before this tile mirrors
        // the one before the mirrored skip, so its state changed alike and finished as many ops.
        if (tile - logged.Period < WindowBase) return false;
        long periods = RepeatingPeriods(tile, logged.Period, logged.Ops, out long repetitionEnd);
        if (periods == 0) return false;
        SkipAndRecord(tile, logged.Period, logged.Ops, periods, repetitionEnd, finishedBase + finished.Count - logged.FinishedPerPeriod,
            logged.Earlier, logged.Later);
        return true;
    }

    /// <summary>
    /// Skips <paramref name="periods"/> periods of <paramref name="period"/> tiles and <paramref name="ops"/> ops from
    /// tile <paramref name="tile"/>, the change of each from <paramref name="earlier"/> to <paramref name="later"/>
    /// and its finished ops those from <paramref name="firstFinished"/> on, and records the skip (one across ops
    /// replays the period before it from where it lands). Returns the tiles skipped.
    /// </summary>
    private long SkipAndRecord(long tile, long period, int ops, long periods, long repetitionEnd, long firstFinished,
        ReadOnlySpan<long> earlier, ReadOnlySpan<long> later)
    {
        // The change is read before recording: the values may lie in the record, which recording can move.
        var skip = reusedSkip.Set(periods, earlier, later);
        long tiles = checked(periods * period);
        if (ops == 0)
            skipLog.Within(tile, period, periods, earlier, later, WindowBase);
        else
            skipLog.Across(tile, period, ops, tiles, finishedBase + finished.Count - firstFinished, earlier, later, repetitionEnd, WindowBase);
        Skip(skip, tiles, checked((int)(periods * ops)), firstFinished, periods, ops);
        return tiles;
    }

    /// <summary>
    /// At the start of tile <paramref name="tile"/>: every tile the pipeline reads before its next tile start lies
    /// below this. It loads at most until every slot holds a tile from the next one on, and looks one tile further.
    /// </summary>
    private long ReadsBelow(long tile) => Math.Max(nextLoad, tile + slots.Capacity) + 2;

    /// <summary><paramref name="values"/> in <paramref name="into"/> when the lengths agree, else in a new array.</summary>
    private static long[] Copy(ReadOnlySpan<long> values, long[] into)
    {
        if (values.Length != into.Length) return values.ToArray();
        values.CopyTo(into);
        return into;
    }

    /// <summary>The op-relative values a period crossing ops must find equal (in a buffer reused by every call).</summary>
    private ReadOnlySpan<long> Aux(int op)
    {
        auxValues[0] = compute.LastEndCycle - currentOpStart;
        auxValues[1] = currentOpCompute;
        auxValues[2] = currentOpBusy;
        auxValues[3] = loadPlacement.Offset;
        auxValues[4] = storePlacement.Offset;
        auxValues[5] = loadPlacement.Op - op;
        auxValues[6] = storePlacement.Op - op;
        return auxValues;
    }

    /// <summary>
    /// How many periods of <paramref name="period"/> tiles the stream repeats for from tile <paramref name="tile"/> on
    /// (each tile equal to the one a period before but for its op, <paramref name="ops"/> further), counting a period
    /// only if every tile the pipeline reads during it (up to one past the last one loading at its end) repeats.
    /// </summary>
    private long RepeatingPeriods(long tile, long period, int ops, out long end)
    {
        // A look-ahead for the same period from a tile it already compared compares the same pairs of tiles from
        // there on, so it ends where that one did (a candidate that fails, e.g. one decode step back, comes up again
        // at many tiles before the difference is reached).
        if (repetitionEnds.TryGetValue((period, ops), out var found) && found.From <= tile && tile < found.End)
        {
            end = found.End;
            return Periods(end, period);
        }
        end = RepetitionEnd(tile, period, ops);
        if (repetitionEnds.Count >= MaxRepetitionEnds) repetitionEnds = [];
        repetitionEnds[(period, ops)] = (tile, end);
        return Periods(end, period);
    }

    /// <summary>Whole periods the pipeline can skip when tiles up to <paramref name="end"/> (exclusive) repeat: every tile it reads during them (up to one past the last one loading at their end).</summary>
    private long Periods(long end, long period)
    {
        long reach = end - 1 - nextLoad;
        return reach < 0 ? 0 : reach / period;
    }

    /// <summary>The end (exclusive) of the stretch from tile <paramref name="tile"/> on whose tiles equal those <paramref name="period"/> before but for their op, <paramref name="ops"/> further.</summary>
    private long RepetitionEnd(long tile, long period, int ops)
    {
        // Walk op by op where both sides start an op of the same template (one comparison for all its tiles), else
        // run by run: between run boundaries on either side, the comparison does not change.
        long end = tile;
        int at = BlockAt(tile), back = BlockAt(tile - period);
        while (at >= 0 && !IsPassedOver(back) && blocks[back].Op + ops == blocks[at].Op)
        {
            TileTemplate current = blocks[at].Tiles, before = blocks[back].Tiles;
            int offset = (int)(end - blockStarts[at]), earlierOffset = (int)(end - period - blockStarts[back]);
            if (offset == 0 && earlierOffset == 0 && ops > 0 && WholeInstancesRepeating(at, back, period, ops) is > 0 and long vouched)
            {
                // The source vouches that the coming op instances repeat the ones ops before them: the stream repeats to
                // the end of the last of them, and their tiles need not be read.
                end += vouched;
                break;
            }
            long step;
            if (offset == earlierOffset && current.SameTiles(before))
            {
                // The same tiles from the same offset on: equal to the op's end.
                step = current.TileCount - offset;
            }
            else if (current.RepeatingFrom(offset, earlierOffset) is > 0 and int repeating && current.SameTiles(before))
            {
                // Both in one repeated pattern of the same tiles, whole repetitions apart: equal to the pattern's end.
                step = repeating;
            }
            else
            {
                int run = current.RunAt(offset), earlierRun = before.RunAt(earlierOffset);
                if (current[run].Tile != before[earlierRun].Tile) break;
                step = Math.Min(current.End(run) - offset, before.End(earlierRun) - earlierOffset);
            }
            end += step;
            if (end - blockStarts[at] >= current.TileCount) at = BlockAt(end);
            while (end - period - blockStarts[back] >= BlockLength(back)) back++;
        }
        return end;
    }

    /// <summary>
    /// From the start of block <paramref name="at"/>, a whole period after block <paramref name="back"/> starts: the
    /// tiles of the op instances the source vouches repeat the instances <paramref name="ops"/> before them, if they
    /// span at least one period (0 otherwise). A period's instances cover <paramref name="period"/> tiles, and the
    /// instances past the last whole period those of the blocks from <paramref name="back"/> on.
    /// </summary>
    private long WholeInstancesRepeating(int at, int back, long period, int ops)
    {
        if (repeats is null) return 0;
        int vouched = repeats.Repeating(blocks[at].Op, ops);
        if (vouched < ops) return 0;
        long tiles = checked(vouched / ops * period);
        // The rest: the instances from the one ops before at's (blocks in the window; instances of no tiles have none).
        int restEnd = blocks[back].Op + vouched % ops;
        for (int b = back; b < blocks.Count && blocks[b].Op < restEnd; b++)
        {
            if (IsPassedOver(b)) return 0;
            tiles += BlockLength(b);
        }
        return tiles;
    }

    // Tags relative to the tile computing (loads, computes) or its op (stores).
    private static long TagShape(long tag, long tile, int op) =>
        tag % Kind == StoreDone ? tag - (long)op * Kind : tag - tile * Kind;

    private static long ShiftTag(long tag, long tiles, int ops) =>
        tag % Kind == StoreDone ? tag + (long)ops * Kind : tag + tiles * Kind;

    /// <summary>Writes the state at the start of tile <paramref name="tile"/> of op <paramref name="op"/>; false when the DRAM model's future depends on addresses.</summary>
    private bool Capture(long tile, int op, PeriodicState state)
    {
        // Values are read back in this order by Skip.
        state.Reset(now);
        captureTile = tile;
        captureOp = op;
        state.Cycle(now);
        state.Counter(EventsProcessed);
        state.Same(nextLoad - tile);
        state.Same(nextCompute - tile);
        state.Same(currentOp - op);
        state.Counter(currentOpStart);
        state.Counter(currentOpCompute);
        state.Counter(currentOpBusy);
        state.Counter(loadedWaitingCycles);
        state.Same(loadPlacement.Op - op);
        state.Same(storePlacement.Op - op);
        state.Counter(loadPlacement.Cursor);
        state.Counter(storePlacement.Cursor);
        // Dictionaries in key order (they hold a few entries).
        state.Same(loadedAtCycle.Count);
        sorted.Clear();
        foreach (var (index, cycle) in loadedAtCycle) sorted.Add((index - tile, cycle - now));
        SortedPairs(state);
        state.Same(pendingStores.Count);
        sorted.Clear();
        foreach (var (storeOp, count) in pendingStores) sorted.Add((storeOp - op, count));
        SortedPairs(state);
        state.Same(slots.InUse);
        state.Same(slots.Waiting);
        state.Cycle(slots.LastCycle);
        state.Counter(slots.HeldUnitCycles);
        state.Counter(slots.QueuedCycles);
        compute.Capture(state);
        pending.Clear();
        simulator.CopyPending(pending);
        state.Same(pending.Count);
        foreach (var e in pending)
        {
            long cycle = clock.CycleAtOrBefore(e.TimePs);
            if (clock.EdgeTimePs(cycle) != e.TimePs || e.Handler != this) throw new InvalidOperationException($"a pending event at {e.TimePs} ps is not the pipeline's");
            state.Same(cycle - now);
            state.Same(e.Priority);
            state.Same(TagShape(e.Argument, tile, op));
        }
        return dma.Capture(state, tagShape, addressShape);
    }

    private void SortedPairs(PeriodicState state)
    {
        sorted.Sort();
        foreach (var (key, value) in sorted)
        {
            state.Same(key);
            state.Same(value);
        }
    }

    /// <summary>
    /// Skips <paramref name="tiles"/> tiles and <paramref name="ops"/> ops: the periods of <paramref name="skip"/>,
    /// read in <see cref="Capture"/>'s order. The ops the last period finished (calls from
    /// <paramref name="firstFinished"/> on) finish again in every skipped period, <paramref name="opsPerPeriod"/> ops on.
    /// </summary>
    private void Skip(PeriodicSkip skip, long tiles, int ops, long firstFinished, long periods, int opsPerPeriod)
    {
        PassOverSkipped(tiles, ops);
        int lastFinished = finished.Count, first = checked((int)(firstFinished - finishedBase));
        // Periods inside one op finish nothing: their count may be in the billions.
        for (long k = 1; k <= periods && first < lastFinished; k++)
        {
            for (int i = first; i < lastFinished; i++)
            {
                var (op, opCycles, opCompute, opBusy) = finished[i];
                Finish(op + (int)(k * opsPerPeriod), opCycles, opCompute, opBusy);
            }
        }
        long cycles = skip.Next();
        now += cycles;
        skippedEvents += skip.Next();
        currentOp += ops;
        currentOpStart += skip.Next();
        currentOpCompute += skip.Next();
        currentOpBusy += skip.Next();
        loadedWaitingCycles += skip.Next();
        long loadBytes = skip.Next(), storeBytes = skip.Next();
        loadPlacement.Skip(ops, loadBytes);
        storePlacement.Skip(ops, storeBytes);
        nextLoad += tiles;
        nextCompute += tiles;
        loadedScratch.Clear();
        loadedScratch.AddRange(loadedAtCycle);
        loadedAtCycle.Clear();
        foreach (var (index, cycle) in loadedScratch) loadedAtCycle.Add(index + tiles, cycle + cycles);
        storesScratch.Clear();
        storesScratch.AddRange(pendingStores);
        pendingStores.Clear();
        foreach (var (op, count) in storesScratch) pendingStores.Add(op + ops, count);
        long slotCycles = skip.Next(), held = skip.Next(), queued = skip.Next();
        slots.SkipAhead(slotCycles, held, queued, Unchanged);
        compute.Skip(skip);
        (skipCycles, skipTiles, skipOps, skipLoadBytes, skipStoreBytes) = (cycles, tiles, ops, loadBytes, storeBytes);
        simulator.ShiftPending(shiftPending);
        dma.Skip(skip, shiftTag, shiftAddress);
        if (!skip.Complete) throw new InvalidOperationException("skipping repetitions left state values unread");
    }

    /// <summary>
    /// Before skipping <paramref name="tiles"/> tiles and <paramref name="ops"/> op instances from the computing tile:
    /// the tiles the pipeline will read next start with the computing op instance's, moved as far, so the source
    /// passes over the op instances in between that it has not handed out (their tiles are never read).
    /// </summary>
    private void PassOverSkipped(long tiles, int ops)
    {
        if (repeats is null || ops == 0) return;
        int computing = BlockAt(nextCompute - 1);
        // Within the repetition every op instance starts a whole number of periods after the one ops·k before it.
        long landing = checked(blockStarts[computing] + tiles);
        int landingOp = blocks[computing].Op + ops;
        if (sourceDone || blocksEnd > landing) return;
        long passed = repeats.PassTo(landingOp);
        if (checked(blocksEnd + passed) != landing)
            throw new InvalidOperationException($"op instances passed over hold {passed} tiles, the repetition {landing - blocksEnd}");
        if (passed == 0) return;
        blocks.Add(new TileBlock(landingOp, PassedOver));
        blockStarts.Add(blocksEnd);
        blocksEnd = landing;
    }

    private void Finish(int op, long cycles, long computeCycles, long busyPeCycles)
    {
        finished.Add((op, cycles, computeCycles, busyPeCycles));
        opFinished(op, cycles, computeCycles, busyPeCycles);
    }

    /// <summary>
    /// The default DRAM placement of one transfer direction (loads, or stores): op instance i's transfers are laid one
    /// after another from i × 2^<see cref="OpRegionBits"/> + <paramref name="regionOffset"/>, each starting on a
    /// <see cref="TransferAlignBytes"/> boundary; a tile with an explicit address keeps it.
    /// </summary>
    private sealed class Placement(long regionOffset)
    {
        /// <summary>The op instance of the latest transfer (−1 before the first).</summary>
        public int Op { get; private set; } = -1;

        /// <summary>Where the op's next placed transfer starts.</summary>
        public long Cursor { get; private set; }

        /// <summary>The cursor's distance from the start of its op's region.</summary>
        public long Offset => Cursor - ((long)Op << OpRegionBits);

        /// <summary>The address of a transfer of <paramref name="bytes"/> by op <paramref name="op"/> (<paramref name="address"/> unless it is <see cref="Tile.Placed"/>).</summary>
        public long Next(int op, long address, long bytes)
        {
            if (op != Op)
            {
                Op = op;
                Cursor = ((long)op << OpRegionBits) + regionOffset;
            }
            long start = address == Tile.Placed ? Cursor : address;
            Cursor += (bytes + TransferAlignBytes - 1) / TransferAlignBytes * TransferAlignBytes;
            return start;
        }

        /// <summary>Skipped periods: <paramref name="ops"/> ops further, the cursor <paramref name="bytes"/> further.</summary>
        public void Skip(int ops, long bytes)
        {
            Op += ops;
            Cursor += bytes;
        }
    }
}
