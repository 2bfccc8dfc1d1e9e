using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// The op instances of a run in order (the prefill ops, then every decode step's ops at its KV length), tiled one by
/// one for the pipeline, with each op's totals summed in <see cref="Results"/>. Also tells the pipeline which coming
/// instances tile exactly like earlier ones (<see cref="Repeats"/>), so that the layers of a decode step, skipped as
/// repetitions, need not be tiled one by one.
/// </summary>
/// <remarks>
/// An instance's tiles depend only on its op's shape class (<see cref="OpTiler"/>: ops of one class tile alike at
/// every KV length), the KV length, and where its activations are: whether every producer left its output in the
/// activation buffer, and whether its own output stays there. Within one decode step the KV length is fixed and each
/// op's placement follows from the ops before it, so a step is placed and tiled whole when it starts, exactly as
/// tiling its instances in turn would find them; an instance handed out or passed over then costs a look-up.
/// </remarks>
internal sealed class InstanceStream
{
    private const int ProgressBatch = 1024;

    private readonly Workload workload;
    private readonly OpTiler tiler;
    private readonly IReadOnlyList<TraceOp> ops;
    private readonly int[][] producers;
    private readonly bool[] onChip;
    private readonly int prefillOps, decodeOps;
    private readonly long instances;
    private readonly Action<long>? progress;
    private long unreported;
    // The decode step being reached, planned when it starts: per decode op (index within the step) its shape class,
    // where its activations are, and its tiles and counts.
    private long plannedStep = -1;
    private readonly int[] shapeClass;
    private readonly bool[] independentOfKv;
    private readonly int[] dependentOnKv;
    // Whether the last step placed in full changed no op's placement from the step before's.
    private bool placementSettled;
    private readonly bool[] inputsOnChip, outputOnChip;
    private readonly TileTemplate[] stepTiles;
    private readonly OpResult[] stepCounts;
    // Per position: the counts of its latest instances not yet added to its totals, and how many instances had them.
    // Added at once when the counts change or the run ends: a decode step passes over a thousand instances, most of
    // them with the counts of the step before.
    private readonly OpResult?[] pendingCounts;
    private readonly long[] pendingRuns;

    public InstanceStream(Workload workload, OpTiler tiler, Action<long>? progress)
    {
        this.workload = workload;
        this.tiler = tiler;
        this.progress = progress;
        // Per-op state in arrays indexed by the op's position in the workload (prefill ops, then decode ops), and
        // each op's producers as positions (−1: not in the workload, so not on chip): a dictionary look-up per op
        // instance would cost more than tiling it.
        ops = workload.AllOps.ToList();
        var position = new Dictionary<int, int>(ops.Count);
        for (int i = 0; i < ops.Count; i++) position.Add(ops[i].Id, i);
        producers = ops.Select(op => op.DependsOn.Select(d => position.GetValueOrDefault(d, -1)).ToArray()).ToArray();
        Results = ops.Select(op => new OpResult(op)).ToArray();
        onChip = new bool[ops.Count];
        prefillOps = workload.Prefill.Count;
        decodeOps = Math.Max(1, workload.Decode.Count);
        instances = FastSimulator.OpInstances(workload);
        shapeClass = workload.Decode.Select(tiler.ShapeClass).ToArray();
        independentOfKv = workload.Decode.Select(tiler.IndependentOfKv).ToArray();
        dependentOnKv = Enumerable.Range(0, independentOfKv.Length).Where(i => !independentOfKv[i]).ToArray();
        inputsOnChip = new bool[workload.Decode.Count];
        outputOnChip = new bool[workload.Decode.Count];
        stepTiles = new TileTemplate[workload.Decode.Count];
        stepCounts = new OpResult[workload.Decode.Count];
        pendingCounts = new OpResult?[ops.Count];
        pendingRuns = new long[ops.Count];
        Repeats = new InstanceRepeats(Repeating, PassTo);
    }

    /// <summary>Each op's totals by position in <see cref="Workload.AllOps"/>: its runs and tiles over the instances reached so far, its counts once <see cref="Finish"/> has added them.</summary>
    public OpResult[] Results { get; }

    /// <summary>Op instances handed out or passed over so far.</summary>
    public int Reached { get; private set; }

    public InstanceRepeats Repeats { get; }

    /// <summary>The position in <see cref="Workload.AllOps"/> of op instance <paramref name="instance"/>'s op.</summary>
    public int PositionOf(int instance) => instance < prefillOps ? instance : prefillOps + (instance - prefillOps) % decodeOps;

    public TraceOp OpOf(int instance) => ops[PositionOf(instance)];

    private long StepOf(int instance) => (instance - prefillOps) / decodeOps;

    /// <summary>The tiles of the next op instance, or null past the last (the pipeline asks for each once, in order).</summary>
    public TileBlock? Next()
    {
        if (Reached >= instances) return null;
        int instance = Reached;
        return new TileBlock(instance, Advance());
    }

    /// <summary>Passes over the instances before <paramref name="instance"/> not handed out yet; returns their tiles in all.</summary>
    private long PassTo(int instance)
    {
        long tiles = 0;
        while (Reached < instance && Reached < instances) tiles += Advance().TileCount;
        return tiles;
    }

    /// <summary>Tiles the next instance, adds it to its op's totals and moves on.</summary>
    private TileTemplate Advance()
    {
        // Reported in batches: a call per op instance would cost more than the tiling of small ops.
        if (progress is not null && ++unreported == ProgressBatch)
        {
            progress(unreported);
            unreported = 0;
        }
        int instance = Reached, at = PositionOf(instance);
        TileTemplate tiles;
        OpResult counts;
        if (at < prefillOps)
        {
            var op = ops[at];
            // Activations come from DRAM unless every producer left its output in the activation buffer.
            bool inputs = InputsOnChip(at);
            onChip[at] = tiler.KeepsOutputOnChip(op, 0);
            (tiles, counts) = tiler.Tiles(op, 0, inputs, onChip[at]);
        }
        else
        {
            long step = StepOf(instance);
            if (step != plannedStep) PlanStep(step);
            int index = at - prefillOps;
            (tiles, counts) = (stepTiles[index], stepCounts[index]);
        }
        var result = Results[at];
        result.Runs++;
        result.Tiles += tiles.TileCount;
        if (pendingCounts[at] != counts)
        {
            AddPending(at);
            pendingCounts[at] = counts;
        }
        pendingRuns[at]++;
        Reached++;
        return tiles;
    }

    /// <summary>
    /// Places and tiles every op of decode step <paramref name="step"/> when it starts: each op in turn, its inputs on
    /// chip if every producer's latest output stayed there (this step's for the ops before it, the step before's for
    /// the rest), as tiling them one by one would.
    /// </summary>
    private void PlanStep(long step)
    {
        bool first = plannedStep < 0;
        plannedStep = step;
        long kv = workload.FirstDecodeKv + step;
        // Placements are a fixed point once a step placed every op as the step before did: then, if no op that depends
        // on the KV length changes whether its output stays on chip, every op is placed as before, and only those ops
        // are tiled anew.
        bool settled = placementSettled;
        foreach (int i in dependentOnKv)
            settled &= tiler.KeepsOutputOnChip(ops[prefillOps + i], kv) == outputOnChip[i];
        if (settled)
        {
            foreach (int i in dependentOnKv)
                (stepTiles[i], stepCounts[i]) = tiler.Tiles(ops[prefillOps + i], kv, inputsOnChip[i], outputOnChip[i]);
            return;
        }
        bool changed = first;
        for (int i = 0; i < workload.Decode.Count; i++)
        {
            int at = prefillOps + i;
            var op = ops[at];
            bool inputs = InputsOnChip(at), output = tiler.KeepsOutputOnChip(op, kv);
            onChip[at] = output;
            // An op that does not depend on the KV length keeps the step before's tiles if it is placed as it was then.
            bool placedAsBefore = !first && inputs == inputsOnChip[i] && output == outputOnChip[i];
            changed |= !placedAsBefore;
            if (placedAsBefore && independentOfKv[i]) continue;
            inputsOnChip[i] = inputs;
            outputOnChip[i] = output;
            (stepTiles[i], stepCounts[i]) = tiler.Tiles(op, kv, inputs, output);
        }
        placementSettled = !changed;
    }

    /// <summary>At the end of the run: adds the counts not yet added to <see cref="Results"/> and reports the instances reached since the last report.</summary>
    public void Finish()
    {
        for (int at = 0; at < pendingCounts.Length; at++) AddPending(at);
        if (progress is not null && unreported > 0) progress(unreported);
        unreported = 0;
    }

    private void AddPending(int at)
    {
        if (pendingCounts[at] is { } counts) Results[at].AddCounts(counts, pendingRuns[at]);
        pendingCounts[at] = null;
        pendingRuns[at] = 0;
    }

    private bool InputsOnChip(int at)
    {
        bool inputs = producers[at].Length > 0;
        foreach (int producer in producers[at]) inputs &= producer >= 0 && onChip[producer];
        return inputs;
    }

    /// <summary>
    /// How many instances from <paramref name="first"/> on tile exactly like the instance <paramref name="back"/>
    /// before each: only within the decode step being reached (0 elsewhere). Two ops of one shape class, placed alike,
    /// at one KV length, tile alike.
    /// </summary>
    private int Repeating(int first, int back)
    {
        if (back <= 0 || first - back < prefillOps || first >= Reached) return 0;
        long step = StepOf(first);
        if (step != plannedStep || StepOf(first - back) != step) return 0;
        int from = first - prefillOps - (int)(step * decodeOps), count = workload.Decode.Count, n = 0;
        while (from + n < count && shapeClass[from + n] == shapeClass[from + n - back]
            && inputsOnChip[from + n] == inputsOnChip[from + n - back] && outputOnChip[from + n] == outputOnChip[from + n - back])
            n++;
        return n;
    }
}
