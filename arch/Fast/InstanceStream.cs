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
/// op's placement follows from the ops before it, so the placements of the whole step are worked out ahead once,
/// from the state at the instance reached, exactly as tiling the instances in turn will find them.
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
    // Per decode op (index within a step): shape class, and the placement of its activations, as the ops of the step
    // being reached placed them, and worked out ahead for the rest of step placementStep.
    private readonly int[] shapeClass;
    private readonly bool[] inputsOnChip, outputOnChip, scratch;
    private long placementStep = -1;
    // Per distance back: for each decode op of placementStep, how many ops from it on tile like the ones that far before.
    private readonly Dictionary<int, int[]> repeatingRuns = [];

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
        scratch = new bool[ops.Count];
        prefillOps = workload.Prefill.Count;
        decodeOps = Math.Max(1, workload.Decode.Count);
        instances = FastSimulator.OpInstances(workload);
        shapeClass = workload.Decode.Select(tiler.ShapeClass).ToArray();
        inputsOnChip = new bool[workload.Decode.Count];
        outputOnChip = new bool[workload.Decode.Count];
        Repeats = new InstanceRepeats(Repeating, PassTo);
    }

    /// <summary>Each op's totals over its instances reached so far, by position in <see cref="Workload.AllOps"/>.</summary>
    public OpResult[] Results { get; }

    /// <summary>Op instances handed out or passed over so far.</summary>
    public int Reached { get; private set; }

    public InstanceRepeats Repeats { get; }

    /// <summary>The position in <see cref="Workload.AllOps"/> of op instance <paramref name="instance"/>'s op.</summary>
    public int PositionOf(int instance) => instance < prefillOps ? instance : prefillOps + (instance - prefillOps) % decodeOps;

    public TraceOp OpOf(int instance) => ops[PositionOf(instance)];

    private long StepOf(int instance) => (instance - prefillOps) / decodeOps;

    private long KvOf(int instance) => instance < prefillOps ? 0 : workload.FirstDecodeKv + StepOf(instance);

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
        long kv = KvOf(instance);
        var op = ops[at];
        // Activations come from DRAM unless every producer left its output in the activation buffer.
        bool inputs = InputsOnChip(at, onChip);
        bool output = tiler.KeepsOutputOnChip(op, kv);
        onChip[at] = output;
        if (at >= prefillOps)
        {
            // This step's placements so far (the rest of the arrays: the step before's, or those worked out ahead).
            inputsOnChip[at - prefillOps] = inputs;
            outputOnChip[at - prefillOps] = output;
        }
        var result = Results[at];
        result.Runs++;
        var tiles = tiler.Tile(op, kv, inputs, output, result);
        result.Tiles += tiles.TileCount;
        Reached++;
        return tiles;
    }

    /// <summary>Reports the instances reached since the last report.</summary>
    public void FlushProgress()
    {
        if (progress is not null && unreported > 0) progress(unreported);
        unreported = 0;
    }

    private bool InputsOnChip(int at, bool[] placed)
    {
        bool inputs = producers[at].Length > 0;
        foreach (int producer in producers[at]) inputs &= producer >= 0 && placed[producer];
        return inputs;
    }

    /// <summary>
    /// How many instances from <paramref name="first"/> on tile exactly like the instance <paramref name="back"/>
    /// before each: only within the decode step being reached (0 elsewhere).
    /// </summary>
    private int Repeating(int first, int back)
    {
        if (back <= 0 || first - back < prefillOps || first >= instances) return 0;
        long step = StepOf(first);
        if (StepOf(first - back) != step || Reached >= instances || StepOf(Reached) != step || back >= decodeOps) return 0;
        if (placementStep != step) PlaceStep(step);
        if (!repeatingRuns.TryGetValue(back, out var runs)) repeatingRuns[back] = runs = RepeatingRuns(back);
        return runs[first - prefillOps - step * decodeOps];
    }

    /// <summary>The placements of step <paramref name="step"/>'s ops: those reached as they were, the rest as they will be.</summary>
    private void PlaceStep(long step)
    {
        placementStep = step;
        repeatingRuns.Clear();
        long kv = workload.FirstDecodeKv + step;
        // The ops reached so far placed theirs already; the rest follow in order from the outputs as they stand.
        Array.Copy(onChip, scratch, onChip.Length);
        for (int i = (int)(Reached - prefillOps - step * decodeOps); i < workload.Decode.Count; i++)
        {
            int at = prefillOps + i;
            inputsOnChip[i] = InputsOnChip(at, scratch);
            scratch[at] = outputOnChip[i] = tiler.KeepsOutputOnChip(ops[at], kv);
        }
    }

    /// <summary>For each decode op of the placed step: how many ops from it on tile like the ones <paramref name="back"/> before.</summary>
    private int[] RepeatingRuns(int back)
    {
        int count = workload.Decode.Count;
        var runs = new int[count];
        for (int i = count - 1; i >= back; i--)
        {
            bool same = shapeClass[i] == shapeClass[i - back] && inputsOnChip[i] == inputsOnChip[i - back]
                && outputOnChip[i] == outputOnChip[i - back];
            runs[i] = same ? (i + 1 < count ? runs[i + 1] : 0) + 1 : 0;
        }
        return runs;
    }
}
