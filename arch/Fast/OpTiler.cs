using HwSim.Arch.Spec;
using HwSim.Arch.Timing;
using HwSim.Numerics.Datatypes;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// Splits one op into tiles that fit the buffers. A GEMM's stationary-side operand B (weights, or K/V for attention)
/// and its activation input A are cut into blocks of half a buffer each (a whole buffer when not double-buffered);
/// when neither fits, the one whose re-reading costs fewer DRAM bytes is re-read for every block of the other
/// (the refetch choice of the BitMoD simulator, abdelfattah-lab/BitMoD-HPCA-25 accelerator.py). Block edges fall on
/// multiples of the array dimension they map to, so tiling adds no partly-filled folds inside a block. Activations
/// stay in the activation buffer between ops when an op's inputs and output fit in it together.
/// </summary>
public sealed class OpTiler(AcceleratorSpec spec, RunFormats formats)
{
    private readonly long weightBlockBytes = BlockBytes(spec.BufferFor(BufferRole.Weights)!);
    private readonly long activationBlockBytes = BlockBytes(spec.BufferFor(BufferRole.Activations)!);
    private readonly long activationCapacity = spec.BufferFor(BufferRole.Activations)!.CapacityBytes;

    // Closed-form tile timings by (B operand datatype, M, N, K): decode steps repeat the same tile shapes. Datatypes
    // are keyed by a small per-run slot number rather than hashed per tile.
    private readonly Dictionary<(int, long, long, long), GemmTiming> timings = [];
    private readonly Dictionary<WeightDatatype, int> slots = new(ReferenceEqualityComparer.Instance);

    private static long BlockBytes(BufferSpec buffer) => buffer.DoubleBuffered ? buffer.CapacityBytes / 2 : buffer.CapacityBytes;

    /// <summary>Whether the op's output stays on chip for its consumers.</summary>
    public bool KeepsOutputOnChip(TraceOp op, long kv)
    {
        long activationBytes = 0;
        foreach (var operand in op.Operands)
            if (operand.Role == OperandRole.Activation) activationBytes += formats.Activations.Bytes(operand.Elements.At(kv));
        return activationBytes <= activationCapacity;
    }

    /// <summary>Tiles of <paramref name="op"/> at KV length <paramref name="kv"/>; adds its byte counts to <paramref name="result"/>.</summary>
    public void Tile(TraceOp op, int opIndex, long kv, bool inputsOnChip, bool outputOnChip, OpResult result, List<Tile> tiles)
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
        if (op.Gemm is { } gemm)
        {
            var bOperand = attention ? formats.KvCache : weights;
            if (!attention) result.WeightType = weights.Name;
            GemmTiles(gemm, kv, bOperand, opIndex, inputsOnChip ? 0 : activationInBytes, weightBytes, storeBytes, !inputsOnChip, result, tiles);
        }
        else
        {
            long elements = op.Elements.At(kv);
            int operations = Math.Max(1, op.Operands.Count(o => !o.IsOutput && o.Role == OperandRole.Activation));
            long load = (inputsOnChip ? 0 : activationInBytes) + weightBytes;
            long cycles = ArrayTiming.CeilDiv(checked(elements * operations), spec.VectorUnit.Lanes);
            tiles.Add(new Tile(opIndex, load, !inputsOnChip, cycles, 0, storeBytes));
            result.DramReadBytes += load;
            result.DramWriteBytes += storeBytes;
            result.ElementOps += checked(elements * operations);
            result.ActivationSramWriteBytes += load - weightBytes + outputBytes;
            result.ActivationSramReadBytes += activationInBytes;
            result.WeightSramWriteBytes += weightBytes;
            result.WeightSramReadBytes += weightBytes;
        }
        result.Macs += op.Macs.At(kv);
    }

    private void GemmTiles(GemmShape gemm, long kv, WeightDatatype bOperand, int opIndex, long aBytes, long bBytes,
        long storeBytes, bool readsStored, OpResult result, List<Tile> tiles)
    {
        long m = gemm.M.At(kv), n = gemm.N.At(kv), k = gemm.K.At(kv), batch = gemm.Batch;
        long aItem = aBytes / batch, bItem = bBytes / batch;
        // Blocks per batch item along M (activations) and N (B operand), each at least one array dimension wide.
        long mBlocks = Math.Max(1, Math.Min(ArrayTiming.CeilDiv(aItem, activationBlockBytes), ArrayTiming.CeilDiv(m, spec.Array.Rows)));
        long nBlocks = Math.Max(1, Math.Min(ArrayTiming.CeilDiv(bItem, weightBlockBytes), ArrayTiming.CeilDiv(n, spec.Array.Cols)));
        long mStep = RoundUp(ArrayTiming.CeilDiv(m, mBlocks), spec.Array.Rows, m);
        long nStep = RoundUp(ArrayTiming.CeilDiv(n, nBlocks), spec.Array.Cols, n);
        mBlocks = ArrayTiming.CeilDiv(m, mStep);
        nBlocks = ArrayTiming.CeilDiv(n, nStep);
        // Re-read B for every A block, or A for every B block: whichever moves fewer bytes.
        bool bInner = mBlocks == 1 || nBlocks == 1 || (Int128)aItem + (Int128)bItem * mBlocks <= (Int128)bItem + (Int128)aItem * nBlocks;
        long storePerItem = storeBytes / batch, storeRemainder = storeBytes % batch;
        if (!slots.TryGetValue(bOperand, out int slot)) slots[bOperand] = slot = slots.Count;
        GemmTiming Timing(long mi, long ni) =>
            timings.TryGetValue((slot, mi, ni, k), out var t) ? t
            : timings[(slot, mi, ni, k)] = ArrayTiming.Gemm(spec.Array, spec.Pe, bOperand, mi, ni, k);

        for (long item = 0; item < batch; item++)
        {
            long outer = bInner ? mBlocks : nBlocks, inner = bInner ? nBlocks : mBlocks;
            for (long o = 0; o < outer; o++)
            {
                for (long i = 0; i < inner; i++)
                {
                    long mb = bInner ? o : i, nb = bInner ? i : o;
                    long mi = Math.Min(mStep, m - mb * mStep), ni = Math.Min(nStep, n - nb * nStep);
                    long aTile = Share(aItem, mb, mStep, m), bTile = Share(bItem, nb, nStep, n);
                    // The inner operand is loaded for every tile, the outer one with the first tile of its block.
                    long load = bInner ? bTile + (i == 0 ? aTile : 0) : aTile + (i == 0 ? bTile : 0);
                    bool last = o == outer - 1 && i == inner - 1;
                    long store = last ? storePerItem + (item == batch - 1 ? storeRemainder : 0) : 0;
                    var timing = Timing(mi, ni);
                    tiles.Add(new Tile(opIndex, load, readsStored && load > 0, timing.Cycles, timing.BusyPeCycles, store));
                    long bLoad = bInner || i == 0 ? bTile : 0;
                    result.DramReadBytes += load;
                    result.WeightSramWriteBytes += bLoad;
                    result.ActivationSramWriteBytes += load - bLoad;
                    // Streaming operands are read from SRAM once per fold of the other spatial dimension.
                    var map = timing.Mapping;
                    var (aReads, bReads) = spec.Array.Dataflow switch
                    {
                        Dataflow.Os => (aTile * map.ColFolds, bTile * map.RowFolds),
                        Dataflow.Ws => (aTile * map.ColFolds, bTile),
                        _ => (aTile, bTile * map.ColFolds),
                    };
                    result.ActivationSramReadBytes += aReads;
                    result.WeightSramReadBytes += bReads;
                }
            }
        }
        result.DramWriteBytes += storeBytes;
        result.ActivationSramWriteBytes += storeBytes;
    }

    /// <summary>
    /// Bytes of block <paramref name="block"/> when <paramref name="total"/> bytes cover <paramref name="extent"/>
    /// rows in blocks of <paramref name="step"/>; the blocks' shares sum to the total exactly.
    /// </summary>
    private static long Share(long total, long block, long step, long extent)
    {
        long start = block * step, end = Math.Min(extent, start + step);
        return (long)((Int128)total * end / extent - (Int128)total * start / extent);
    }

    private static long RoundUp(long size, long multiple, long limit) =>
        size <= multiple ? Math.Min(size, limit) : Math.Min(ArrayTiming.CeilDiv(size, multiple) * multiple, limit);
}
