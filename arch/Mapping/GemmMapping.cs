using HwSim.Arch.Timing;

namespace HwSim.Arch.Mapping;

/// <summary>Which operand the outer block loop walks; the other operand's blocks are re-read for each outer block.</summary>
public enum GemmLoopOrder
{
    /// <summary>A (activation) blocks outer, B blocks re-read for every A block.</summary>
    AOuter,

    /// <summary>B (weight or K/V) blocks outer, A blocks re-read for every B block.</summary>
    BOuter,
}

/// <summary>
/// One block step of a batch item: C[M0.., N0..] += A[M0.., K0..] · B[K0.., N0..] over <see cref="Rows"/> ×
/// <see cref="Cols"/> outputs and <see cref="Depth"/> reduction elements, with the DRAM loads it starts (zero when the
/// block is already in its buffer) and the values the array's feeders read from each buffer.
/// </summary>
public readonly record struct BlockStep(
    long M0, long Rows, long N0, long Cols, long K0, long Depth,
    long ALoadBytes, long BLoadBytes, long AReadBytes, long BReadBytes,
    long ALoadValues, long BLoadValues, long AReadValues, long BReadValues,
    long PartialSumReads, long PartialSumWrites,
    GemmTiming Timing)
{
    public long LoadBytes => ALoadBytes + BLoadBytes;
}

/// <summary>
/// Accesses of one operand per batch item: values (and bytes) loaded from DRAM into its buffer — each loaded value is
/// written once into the buffer — and values (bytes) the array's feeders read out of the buffer.
/// </summary>
public readonly record struct OperandAccesses(long LoadedValues, long ReadValues, long LoadedBytes, long ReadBytes);

/// <summary>
/// How one GEMM C[M×N] = A[M×K]·B[K×N] (per batch item) runs on the accelerator: block edges along M (A blocks),
/// N (B blocks) and K (when an operand's full-depth block does not fit its buffer), the loop order (outer operand;
/// with K split, <see cref="PassBlocks"/> inner blocks per pass over the chunks), the block steps
/// in that order with their folds (<see cref="BlockStep.Timing"/>), and per-operand access counts. Timing, energy and
/// the detailed simulator all read the same value.
/// </summary>
public sealed record GemmMapping(
    long M, long N, long K,
    long MStep, long NStep, long KStep,
    bool ASplitAlongK, bool BSplitAlongK,
    GemmLoopOrder Order,
    long PassBlocks,
    BlockSteps Steps,
    OperandAccesses A,
    OperandAccesses B,
    long PartialSumReads,
    long PartialSumWrites,
    int PartialSumBytes)
{
    public long MBlocks => (M + MStep - 1) / MStep;
    public long NBlocks => (N + NStep - 1) / NStep;
    public long KBlocks => (K + KStep - 1) / KStep;
    public long Folds => Steps.Sum(s => s.Timing.Mapping.Folds);
    public long Cycles => Steps.Sum(s => s.Timing.Cycles);
    public long BusyPeCycles => Steps.Sum(s => s.Timing.BusyPeCycles);

    /// <summary>Accumulator bytes of partial sums spilled to the output buffer and read back (K split only).</summary>
    public long PartialSumReadBytes => PartialSumReads * PartialSumBytes;
    public long PartialSumWriteBytes => PartialSumWrites * PartialSumBytes;
}
