using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Arch.Timing;

namespace HwSim.Arch.Mapping;

/// <summary>
/// Turns a GEMM (M, N, K, the bytes of one batch item's A and B, B's datatype) into a <see cref="GemmMapping"/>.
/// A (activations) is cut into blocks along M, B (weights, or K/V in attention) along N, each block at most one half
/// of its buffer (all of it when not double-buffered), block edges on multiples of the array dimension they map to so
/// tiling adds no partly-filled folds. When neither operand fits whole, the one whose re-reading moves fewer DRAM bytes
/// is re-read for every block of the other (the refetch choice of the BitMoD simulator,
/// abdelfattah-lab/BitMoD-HPCA-25 @e445a5f bitmod_sim/accelerator.py _calc_num_mem_refetch).
/// <para>
/// Rounding a block up to whole folds can make it outgrow its buffer; it then either takes fewer folds or keeps its
/// folds and splits K (below), whichever moves fewer DRAM bytes. A block one array fold wide can still exceed its
/// buffer when K is large (LLaMA-3-8B down_proj, K = 14336: 32 FP16
/// columns are 917 KB). That simulator sizes a block by bytes alone — ceil(operand bytes / buffer bytes) blocks,
/// each spanning all of K — and keeps compute tiling separate (same file, _calc_tile_fc). Here, to keep folds whole,
/// such an operand is instead split along K into the fewest equal chunks that fit (chunk edges on whole array rows
/// for WS/IS, where K maps to rows, and whole dot-product steps for OS). The loop then runs outer block, pass of inner
/// blocks, K chunk, inner block: the output blocks of a pass accumulate partial sums (accumulator width) in the
/// activation buffer — written after every chunk but the last, read back before every chunk but the first — so a
/// pass holds as many inner blocks as fit half of it. An outer operand split along K is read once per pass, the
/// inner one once per outer block (by chunk when it shares its pass, whole and resident when alone).
/// </para>
/// Mappings and fold timings are cached per shape: decode steps repeat the same shapes.
/// </summary>
public sealed class GemmMapper(ArraySpec array, PeSpec pe, long aBlockBytes, long bBlockBytes)
{
    private readonly Dictionary<(int, long, long, long, long, long), GemmMapping> mappings = [];
    private readonly Dictionary<(int, long, long, long), GemmTiming> timings = [];
    private readonly Dictionary<WeightDatatype, int> slots = new(ReferenceEqualityComparer.Instance);

    /// <summary>Bytes of one partial sum spilled to the activation buffer: the accumulator, rounded up to whole bytes.</summary>
    private readonly int psumBytes = (pe.AccumulatorBits + 7) / 8;

    /// <summary>The mapper of an accelerator: blocks of half a buffer when double-buffered, else the whole buffer.</summary>
    public static GemmMapper For(AcceleratorSpec spec) =>
        new(spec.Array, spec.Pe, BlockBytes(spec.BufferFor(BufferRole.Activations)!), BlockBytes(spec.BufferFor(BufferRole.Weights)!));

    public static long BlockBytes(BufferSpec buffer) => buffer.DoubleBuffered ? buffer.CapacityBytes / 2 : buffer.CapacityBytes;

    /// <summary>The mapping of one batch item: <paramref name="aBytes"/> and <paramref name="bBytes"/> are the bytes of its A and B to load (0: already on chip).</summary>
    /// <param name="remember">Keep a mapping built now for later calls (false for a shape that will not come back).</param>
    public GemmMapping Map(long m, long n, long k, long aBytes, long bBytes, WeightDatatype bOperand, bool remember = true)
    {
        if (!slots.TryGetValue(bOperand, out int slot)) slots[bOperand] = slot = slots.Count;
        var key = (slot, m, n, k, aBytes, bBytes);
        if (mappings.TryGetValue(key, out var mapping)) return mapping;
        mapping = Build(slot, m, n, k, aBytes, bBytes, bOperand);
        if (remember) mappings[key] = mapping;
        return mapping;
    }

    /// <summary>Block edges, K chunking and loop order of one candidate, with the DRAM bytes it moves.</summary>
    private readonly record struct Plan(long MStep, long NStep, long KStep, bool ASplit, bool BSplit, bool AOuter, long PassBlocks, Int128 DramBytes, long Steps);

    private GemmMapping Build(int slot, long m, long n, long k, long aBytes, long bBytes, WeightDatatype bOperand)
    {
        long mBlocks = Math.Max(1, Math.Min(ArrayTiming.CeilDiv(aBytes, aBlockBytes), ArrayTiming.CeilDiv(m, array.Rows)));
        long nBlocks = Math.Max(1, Math.Min(ArrayTiming.CeilDiv(bBytes, bBlockBytes), ArrayTiming.CeilDiv(n, array.Cols)));
        long mRounded = RoundUp(ArrayTiming.CeilDiv(m, mBlocks), array.Rows, m);
        long nRounded = RoundUp(ArrayTiming.CeilDiv(n, nBlocks), array.Cols, n);
        // A block that rounding up to whole folds made outgrow its buffer either takes fewer folds or keeps its
        // folds and splits K: whichever moves fewer DRAM bytes (ties: fewer steps, then fewer folds per block).
        Plan? best = null;
        foreach (long mStep in new[] { Fit(mRounded, array.Rows, m, aBytes, aBlockBytes), mRounded }.Distinct())
        {
            foreach (long nStep in new[] { Fit(nRounded, array.Cols, n, bBytes, bBlockBytes), nRounded }.Distinct())
            {
                var plan = PlanFor(m, n, k, aBytes, bBytes, mStep, nStep);
                if (best is not { } b || plan.DramBytes < b.DramBytes || (plan.DramBytes == b.DramBytes && plan.Steps < b.Steps)) best = plan;
            }
        }
        return Emit(slot, m, n, k, aBytes, bBytes, bOperand, best!.Value);
    }

    private Plan PlanFor(long m, long n, long k, long aBytes, long bBytes, long mStep, long nStep)
    {
        long mBlocks = ArrayTiming.CeilDiv(m, mStep), nBlocks = ArrayTiming.CeilDiv(n, nStep);
        // The largest full-depth block of each operand; K values per chunk that keep it within its buffer.
        long aWidest = CeilShare(aBytes, mStep, m), bWidest = CeilShare(bBytes, nStep, n);
        long granule = (long)pe.DotProductWidth * (array.Dataflow == Dataflow.Os ? 1 : array.Rows);
        bool aSplit = aWidest > aBlockBytes, bSplit = bWidest > bBlockBytes;
        long kStep = k;
        if (aSplit || bSplit)
        {
            long kMax = Math.Min(aSplit ? FittingDepth(aBlockBytes, aWidest, k, granule) : k,
                bSplit ? FittingDepth(bBlockBytes, bWidest, k, granule) : k);
            long kBlocks = ArrayTiming.CeilDiv(k, kMax);
            kStep = RoundUp(ArrayTiming.CeilDiv(k, kBlocks), granule, k);
        }
        long chunks = ArrayTiming.CeilDiv(k, kStep);

        // With K split, the inner blocks go in passes: for each K chunk, every inner block of the pass, whose output
        // blocks' partial sums (accumulator width) wait in the activation buffer, so a pass holds as many inner blocks
        // as their partial sums fit half of it (at least one). The outer operand, when split along K, is read once
        // per pass; the inner one once per outer block. Of the two orders, the one of fewer DRAM bytes (ties: A outer).
        long PassBlocks(long outerStep, long innerStep, long innerBlocks) => chunks == 1 ? innerBlocks
            : Math.Clamp(aBlockBytes / Math.Max(1, outerStep * innerStep * psumBytes), 1, innerBlocks);
        Int128 Cost(bool aFirst)
        {
            long innerBlocks = aFirst ? nBlocks : mBlocks, outerBlocks = aFirst ? mBlocks : nBlocks;
            long passes = ArrayTiming.CeilDiv(innerBlocks, PassBlocks(aFirst ? mStep : nStep, aFirst ? nStep : mStep, innerBlocks));
            bool outerSplit = aFirst ? aSplit : bSplit;
            return (Int128)(aFirst ? aBytes : bBytes) * (outerSplit ? passes : 1) + (Int128)(aFirst ? bBytes : aBytes) * outerBlocks;
        }
        Int128 aOuterCost = Cost(true), bOuterCost = Cost(false);
        bool aOuter = aOuterCost <= bOuterCost;
        long inner = aOuter ? nBlocks : mBlocks;
        long passBlocks = PassBlocks(aOuter ? mStep : nStep, aOuter ? nStep : mStep, inner);
        // An inner operand that shares its pass with other blocks passes by chunk; alone, its block stays resident.
        if (chunks > 1 && passBlocks > 1)
        {
            if (aOuter) bSplit = true;
            else aSplit = true;
        }
        return new Plan(mStep, nStep, kStep, aSplit && chunks > 1, bSplit && chunks > 1, aOuter, passBlocks,
            aOuter ? aOuterCost : bOuterCost, mBlocks * nBlocks * chunks);
    }

    private GemmMapping Emit(int slot, long m, long n, long k, long aBytes, long bBytes, WeightDatatype bOperand, Plan plan)
    {
        var (mStep, nStep, kStep, aSplit, bSplit, aOuter, passBlocks, _, _) = plan;
        long mBlocks = ArrayTiming.CeilDiv(m, mStep), nBlocks = ArrayTiming.CeilDiv(n, nStep), chunks = ArrayTiming.CeilDiv(k, kStep);
        long outer = aOuter ? mBlocks : nBlocks, inner = aOuter ? nBlocks : mBlocks;
        var order = aOuter ? GemmLoopOrder.AOuter : GemmLoopOrder.BOuter;
        var steps = new BlockSteps(aOuter, aOuter ? mStep : nStep);
        (long Extent, long Stripe)? previous = null;
        for (long o = 0; o < outer; o++)
        {
            // An outer block of the same extent and bytes as the one before runs the same steps, one stride further.
            var geometry = aOuter ? (Math.Min(mStep, m - o * mStep), Share(aBytes, o, mStep, m)) : (Math.Min(nStep, n - o * nStep), Share(bBytes, o, nStep, n));
            if (geometry != previous)
            {
                previous = geometry;
                steps.AddBlock(OuterBlock(o));
            }
            else
            {
                steps.RepeatLast();
            }
        }

        BlockStep[] OuterBlock(long o)
        {
            // Filled in place: a decode step maps its attention anew, and this runs once per block step.
            var pattern = new BlockStep[checked((int)(inner * chunks))];
            int next = 0;
            for (long first = 0; first < inner; first += passBlocks)
            {
                for (long c = 0; c < chunks; c++)
                {
                    for (long i = first; i < Math.Min(inner, first + passBlocks); i++)
                    {
                        long mb = aOuter ? o : i, nb = aOuter ? i : o;
                        long m0 = mb * mStep, n0 = nb * nStep, rows = Math.Min(mStep, m - m0), cols = Math.Min(nStep, n - n0);
                        long aStripe = Share(aBytes, mb, mStep, m), bStripe = Share(bBytes, nb, nStep, n);
                        long k0 = c * kStep, depth = Math.Min(kStep, k - k0);
                        long aChunk = Share(aStripe, c, kStep, k), bChunk = Share(bStripe, c, kStep, k);
                        // A split operand loads its chunk whenever the chunk changes, a whole-depth one when the block
                        // changes: the outer block with its first step, an inner one with its chunk-0 step.
                        bool outerLoads = i == first && ((aOuter ? aSplit : bSplit) || (first == 0 && c == 0));
                        bool innerLoads = (aOuter ? bSplit : aSplit) || c == 0;
                        bool aLoads = aOuter ? outerLoads : innerLoads, bLoads = aOuter ? innerLoads : outerLoads;
                        long aLoad = aLoads ? (aSplit ? aChunk : aStripe) : 0, bLoad = bLoads ? (bSplit ? bChunk : bStripe) : 0;
                        long aLoadValues = aLoads ? rows * (aSplit ? depth : k) : 0, bLoadValues = bLoads ? cols * (bSplit ? depth : k) : 0;
                        var timing = Timing(slot, rows, cols, depth, bOperand);
                        // Feeders read a streaming operand once per fold of the other spatial dimension.
                        var map = timing.Mapping;
                        var (aFactor, bFactor) = array.Dataflow switch
                        {
                            Dataflow.Os => (map.ColFolds, map.RowFolds),
                            Dataflow.Ws => (map.ColFolds, 1L),
                            _ => (1L, map.ColFolds),
                        };
                        long psumRead = c > 0 ? rows * cols : 0, psumWrite = c < chunks - 1 ? rows * cols : 0;
                        pattern[next++] = new BlockStep(m0, rows, n0, cols, k0, depth, aLoad, bLoad, aChunk * aFactor, bChunk * bFactor,
                            aLoadValues, bLoadValues, rows * depth * aFactor, cols * depth * bFactor, psumRead, psumWrite, timing);
                    }
                }
            }
            return pattern;
        }

        // The mapping's counts are its steps' sums: each group's pattern counted once per outer block.
        long Sum(Func<BlockStep, long> count) => steps.Groups.Sum(group => group.Blocks * group.Pattern.Sum(count));
        return new GemmMapping(m, n, k, mStep, nStep, kStep, aSplit, bSplit, order, passBlocks, steps,
            new OperandAccesses(Sum(s => s.ALoadValues), Sum(s => s.AReadValues), Sum(s => s.ALoadBytes), Sum(s => s.AReadBytes)),
            new OperandAccesses(Sum(s => s.BLoadValues), Sum(s => s.BReadValues), Sum(s => s.BLoadBytes), Sum(s => s.BReadBytes)),
            Sum(s => s.PartialSumReads), Sum(s => s.PartialSumWrites), psumBytes);
    }

    private GemmTiming Timing(int slot, long m, long n, long k, WeightDatatype bOperand) =>
        timings.TryGetValue((slot, m, n, k), out var t) ? t
        : timings[(slot, m, n, k)] = ArrayTiming.Gemm(array, pe, bOperand, m, n, k);

    /// <summary>
    /// Bytes of block <paramref name="block"/> when <paramref name="total"/> bytes cover <paramref name="extent"/>
    /// rows in blocks of <paramref name="step"/>; the blocks' shares sum to the total exactly.
    /// </summary>
    private static long Share(long total, long block, long step, long extent)
    {
        long start = block * step, end = Math.Min(extent, start + step);
        // 64-bit products when they cannot overflow (a decode step maps its attention anew: this runs per block step).
        if (total <= long.MaxValue / Math.Max(1, end)) return total * end / extent - total * start / extent;
        return (long)((Int128)total * end / extent - (Int128)total * start / extent);
    }

    /// <summary>An upper bound of every <see cref="Share"/> of <paramref name="step"/> rows.</summary>
    private static long CeilShare(long total, long step, long extent) =>
        (long)(((Int128)total * step + extent - 1) / extent);

    /// <summary>
    /// The most K values, a multiple of <paramref name="granule"/>, whose share of a <paramref name="stripe"/>-byte
    /// full-depth block fits <paramref name="capacity"/>; one granule when not even that fits (the block then exceeds
    /// its buffer: the array's smallest unit of K work cannot be cut further without partly-filled folds).
    /// </summary>
    private static long FittingDepth(long capacity, long stripe, long k, long granule)
    {
        long depth = (long)((Int128)capacity * k / stripe) / granule * granule;
        return Math.Max(granule, depth);
    }

    /// <summary>
    /// <paramref name="step"/>, or, when rounding it up to whole folds made its block outgrow
    /// <paramref name="capacity"/>, the widest whole number of folds (at least one) that fits, spread evenly.
    /// </summary>
    private static long Fit(long step, long fold, long extent, long bytes, long capacity)
    {
        if (step <= fold || CeilShare(bytes, step, extent) <= capacity) return step;
        long fitting = Math.Max(fold, (long)((Int128)capacity * extent / bytes) / fold * fold);
        return RoundUp(ArrayTiming.CeilDiv(extent, ArrayTiming.CeilDiv(extent, fitting)), fold, extent);
    }

    private static long RoundUp(long size, long multiple, long limit) =>
        size <= multiple ? Math.Min(size, limit) : Math.Min(ArrayTiming.CeilDiv(size, multiple) * multiple, limit);
}
