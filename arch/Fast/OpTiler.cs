using HwSim.Arch.Mapping;
using HwSim.Arch.Spec;
using HwSim.Arch.Timing;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// Splits one op into tiles. A GEMM's tiles are the block steps of its <see cref="GemmMapping"/> (stationary-side
/// operand B: weights, or K/V for attention; activation input A), in the mapping's loop order, and the op's byte
/// counters are the mapping's access counts. Activations stay in the activation buffer between ops when an op's
/// inputs and output fit in it together.
/// <para>
/// An op's tiles depend only on its mapping (or, off the array, its one tile), the bytes it stores and whether it
/// reads stored outputs, so they are made once per such shape (<see cref="TileTemplate"/>): the decode steps' layers
/// share them, and the pipeline compares ops of one template without reading their tiles. An op whose quantities do
/// not depend on the KV length (every linear layer of a decode step) tiles the same way in every step: its tiles and
/// counts are worked out once per op and placement of its activations.
/// </para>
/// </summary>
public sealed class OpTiler(AcceleratorSpec spec, RunFormats formats)
{
    private readonly GemmMapper mapper = GemmMapper.For(spec);
    private readonly long activationCapacity = spec.BufferFor(BufferRole.Activations)!.CapacityBytes;
    // Keyed by the mapping's inputs, not the mapping: a decode step maps its attention anew, and hashing a new
    // object by identity costs more than hashing its inputs.
    private readonly Dictionary<(long M, long N, long K, long ABytes, long BBytes, int BOperand, long Batch, long StoreBytes, bool ReadsStored),
        (GemmMapping Mapping, TileTemplate Tiles)> gemmTiles = [];
    private readonly Dictionary<WeightDatatype, int> bOperands = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tile, TileTemplate> vectorTiles = [];
    // What is known of each op (by id): looked up once per op instance, as a decode step reaches every op of every layer.
    private OpPlan?[] plans = new OpPlan?[64];
    // Ops that tile alike at every KV length (the same op in every layer of a decode step) share a class; the tiles
    // and counts of a class at the current KV length are made once, for the first of its ops the step reaches.
    private readonly Dictionary<OpShape, int> shapeClasses = [];
    private readonly Dictionary<(int Class, bool InputsOnChip, bool OutputOnChip), (TileTemplate Tiles, OpResult Counts)> atKv = [];
    private readonly Dictionary<int, bool> keepsAtKv = [];
    private long atKvLength = -1;

    /// <summary>
    /// One op's tiling facts: whether nothing of it depends on the KV length, its shape class, and, when constant,
    /// whether its output stays on chip and its tiles per placement of its activations (index: inputs on chip × 2 +
    /// output on chip).
    /// </summary>
    private sealed class OpPlan(bool constant, int shapeClass)
    {
        public bool Constant { get; } = constant;
        public int ShapeClass { get; } = shapeClass;
        public bool? KeepsOutput { get; set; }
        public (TileTemplate Tiles, OpResult Counts)?[] Made { get; } = new (TileTemplate, OpResult)?[4];
    }

    private OpPlan PlanOf(TraceOp op)
    {
        // Indexed by id: traced workloads number their ops densely from 0; an id outside [0, 2^24) (a trace file's) is worked out each time.
        if (op.Id >= 0 && op.Id < plans.Length && plans[op.Id] is { } plan) return plan;
        bool constant = op.Elements.IsConstant && op.Operands.All(o => o.Elements.IsConstant)
            && (op.Gemm is null || (op.Gemm.M.IsConstant && op.Gemm.N.IsConstant && op.Gemm.K.IsConstant));
        string operands = string.Join(';', op.Operands.Select(o => $"{o.Role},{o.IsOutput},{o.Elements.Constant},{o.Elements.PerKv}"));
        var shape = new OpShape(op.Kind, op.Gemm, op.Elements, operands, formats.WeightsFor(op), formats.WeightBytesFor(op));
        if (!shapeClasses.TryGetValue(shape, out int found)) shapeClasses[shape] = found = shapeClasses.Count;
        var made = new OpPlan(constant, found);
        if (op.Id >= 0 && op.Id < 1 << 24)
        {
            if (op.Id >= plans.Length) Array.Resize(ref plans, Math.Max(op.Id + 1, plans.Length * 2));
            plans[op.Id] = made;
        }
        return made;
    }

    /// <summary>The op's shape class: ops of one class tile alike at every KV length and placement of their activations.</summary>
    public int ShapeClass(TraceOp op) => PlanOf(op).ShapeClass;

    /// <summary>Whether nothing of the op depends on the KV length: it tiles alike in every decode step for the same placement.</summary>
    public bool IndependentOfKv(TraceOp op) => PlanOf(op).Constant;

    /// <summary>Everything <see cref="TileAt"/> and <see cref="ActivationsFit"/> read of an op: ops of equal shapes tile alike at every KV length.</summary>
    private sealed record OpShape(OpKind Kind, GemmShape? Gemm, Affine Elements, string Operands, WeightDatatype Weights, StorageFormat WeightStorage);

    private void AtKv(long kv)
    {
        if (kv == atKvLength) return;
        atKv.Clear();
        keepsAtKv.Clear();
        atKvLength = kv;
    }

    /// <summary>Whether the op's output stays on chip for its consumers.</summary>
    public bool KeepsOutputOnChip(TraceOp op, long kv)
    {
        var plan = PlanOf(op);
        if (plan.Constant) return plan.KeepsOutput ??= ActivationsFit(op, kv);
        AtKv(kv);
        if (!keepsAtKv.TryGetValue(plan.ShapeClass, out bool keeps)) keepsAtKv[plan.ShapeClass] = keeps = ActivationsFit(op, kv);
        return keeps;
    }

    private bool ActivationsFit(TraceOp op, long kv)
    {
        long activationBytes = 0;
        foreach (var operand in op.Operands)
            if (operand.Role == OperandRole.Activation) activationBytes += formats.Activations.Bytes(operand.Elements.At(kv));
        return activationBytes <= activationCapacity;
    }

    /// <summary>Tiles of <paramref name="op"/> at KV length <paramref name="kv"/>, with the counts of one run (shared: not to be changed).</summary>
    public (TileTemplate Tiles, OpResult Counts) Tiles(TraceOp op, long kv, bool inputsOnChip, bool outputOnChip)
    {
        var plan = PlanOf(op);
        (TileTemplate Tiles, OpResult Counts) made;
        if (plan.Constant)
        {
            int placement = (inputsOnChip ? 2 : 0) + (outputOnChip ? 1 : 0);
            made = plan.Made[placement] ??= Made(op, kv, inputsOnChip, outputOnChip);
        }
        else
        {
            AtKv(kv);
            var key = (plan.ShapeClass, inputsOnChip, outputOnChip);
            if (!atKv.TryGetValue(key, out made)) atKv[key] = made = Made(op, kv, inputsOnChip, outputOnChip);
        }
        return made;
    }

    private (TileTemplate Tiles, OpResult Counts) Made(TraceOp op, long kv, bool inputsOnChip, bool outputOnChip)
    {
        var counts = new OpResult(op);
        return (TileAt(op, kv, inputsOnChip, outputOnChip, counts), counts);
    }

    private TileTemplate TileAt(TraceOp op, long kv, bool inputsOnChip, bool outputOnChip, OpResult result)
    {
        // Attention multiplies activations by K or V (operand 1): in prefill those are this pass's activations, in
        // the same format as the cache, so that operand is counted in the KV datatype either way.
        bool attention = op.Kind is OpKind.AttentionScores or OpKind.AttentionContext;
        var weights = formats.WeightsFor(op);
        var weightStorage = formats.WeightBytesFor(op);
        long outputBytes = 0, activationInBytes = 0, weightBytes = 0, kvWriteBytes = 0;
        for (int i = 0; i < op.Operands.Count; i++)
        {
            var operand = op.Operands[i];
            long elements = operand.Elements.At(kv);
            if (operand.IsOutput)
            {
                if (operand.Role == OperandRole.KvCache) kvWriteBytes += formats.KvCache.Storage.Bytes(elements);
                else outputBytes += formats.Activations.Bytes(elements);
            }
            else if (operand.Role == OperandRole.Weight) weightBytes += weightStorage.Bytes(elements);
            else if (operand.Role == OperandRole.KvCache || (attention && i == 1)) weightBytes += formats.KvCache.Storage.Bytes(elements);
            else activationInBytes += formats.Activations.Bytes(elements);
        }
        long storeBytes = (outputOnChip ? 0 : outputBytes) + kvWriteBytes;
        TileTemplate tiles;
        if (op.Gemm is { } gemm)
        {
            var bOperand = attention ? formats.KvCache : weights;
            if (!attention) result.WeightType = weights.Name;
            tiles = GemmTiles(gemm, kv, bOperand, inputsOnChip ? 0 : activationInBytes, weightBytes, storeBytes, !inputsOnChip, result,
                remember: PlanOf(op).Constant);
        }
        else
        {
            long elements = op.Elements.At(kv);
            int operations = Math.Max(1, op.Operands.Count(o => !o.IsOutput && o.Role == OperandRole.Activation));
            long load = (inputsOnChip ? 0 : activationInBytes) + weightBytes;
            long cycles = ArrayTiming.CeilDiv(checked(elements * operations), spec.VectorUnit.Lanes);
            var tile = new Tile(0, load, !inputsOnChip, cycles, 0, storeBytes);
            if (!vectorTiles.TryGetValue(tile, out tiles!)) vectorTiles[tile] = tiles = new TileTemplate([new TileRun(tile, 1)]);
            result.DramReadBytes += load;
            result.DramWriteBytes += storeBytes;
            result.ElementOps += checked(elements * operations);
            result.ActivationSramWriteBytes += load - weightBytes + outputBytes;
            result.ActivationSramReadBytes += activationInBytes;
            result.WeightSramWriteBytes += weightBytes;
            result.WeightSramReadBytes += weightBytes;
        }
        result.Macs += op.Macs.At(kv);
        return tiles;
    }

    private static Tile StepTile(in BlockStep step, bool readsStored, long store) =>
        new(0, step.LoadBytes, readsStored && step.LoadBytes > 0, step.Timing.Cycles, step.Timing.BusyPeCycles, store);

    /// <param name="remember">
    /// Keep the mapping and tiles for later ops: not for an op whose shape depends on the KV length, whose shapes do not
    /// come back in later steps (the step's ops of its class share them through the per-KV cache instead).
    /// </param>
    private TileTemplate GemmTiles(GemmShape gemm, long kv, WeightDatatype bOperand, long aBytes, long bBytes,
        long storeBytes, bool readsStored, OpResult result, bool remember)
    {
        long m = gemm.M.At(kv), n = gemm.N.At(kv), k = gemm.K.At(kv), batch = gemm.Batch;
        if (!bOperands.TryGetValue(bOperand, out int slot)) bOperands[bOperand] = slot = bOperands.Count;
        var key = (m, n, k, aBytes / batch, bBytes / batch, slot, batch, storeBytes, readsStored);
        if (!gemmTiles.TryGetValue(key, out var made))
        {
            var newMapping = mapper.Map(m, n, k, aBytes / batch, bBytes / batch, bOperand, remember);
            made = (newMapping, BatchTiles(newMapping, batch, storeBytes, readsStored));
            if (remember) gemmTiles[key] = made;
        }
        var (mapping, tiles) = made;
        // Outputs go to the activation buffer (partial sums while K is split), B to the weight buffer.
        result.DramReadBytes += batch * (mapping.A.LoadedBytes + mapping.B.LoadedBytes);
        result.WeightSramWriteBytes += batch * mapping.B.LoadedBytes;
        result.WeightSramReadBytes += batch * mapping.B.ReadBytes;
        result.ActivationSramWriteBytes += batch * (mapping.A.LoadedBytes + mapping.PartialSumWriteBytes);
        result.ActivationSramReadBytes += batch * (mapping.A.ReadBytes + mapping.PartialSumReadBytes);
        result.DramWriteBytes += storeBytes;
        result.ActivationSramWriteBytes += storeBytes;
        return tiles;
    }

    /// <summary>
    /// The tiles of every batch item: the mapping's steps, the last one storing the item's share of the output. Items
    /// that store equal shares repeat one pattern, and so do a mapping's repeated outer blocks, so the template's size
    /// grows with the distinct patterns, not with the steps.
    /// </summary>
    private static TileTemplate BatchTiles(GemmMapping mapping, long batch, long storeBytes, bool readsStored)
    {
        long storePerItem = storeBytes / batch, storeRemainder = storeBytes % batch;
        var template = new TileTemplate.Builder();
        long equalItems = storeRemainder == 0 ? batch : batch - 1;
        if (equalItems > 1)
        {
            var item = new TileTemplate.Builder();
            ItemTiles(item, mapping, readsStored, storePerItem);
            template.AddRepeated(item.Runs(), equalItems);
        }
        else if (equalItems == 1)
        {
            ItemTiles(template, mapping, readsStored, storePerItem);
        }
        if (storeRemainder != 0) ItemTiles(template, mapping, readsStored, storePerItem + storeRemainder);
        return template.Build();
    }

    /// <summary>One item's tiles: each group of outer blocks repeats its pattern; the mapping's last step stores <paramref name="store"/> bytes.</summary>
    private static void ItemTiles(TileTemplate.Builder builder, GemmMapping mapping, bool readsStored, long store)
    {
        var groups = mapping.Steps.Groups;
        for (int g = 0; g < groups.Count; g++)
        {
            var (pattern, blocks) = groups[g];
            var runs = pattern.Select(step => new TileRun(StepTile(step, readsStored, 0), 1)).ToList();
            bool last = g == groups.Count - 1;
            builder.AddRepeated(runs, last ? blocks - 1 : blocks);
            if (!last) continue;
            runs[^1] = new TileRun(StepTile(pattern[^1], readsStored, store), 1);
            builder.AddRepeated(runs, 1);
        }
    }
}
