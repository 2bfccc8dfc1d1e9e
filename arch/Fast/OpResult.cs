using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// What one op cost, summed over every time it ran (once in prefill, once per decode step). Cycles run from the end
/// of the previous op's computation to the end of this op's: <see cref="ComputeCycles"/> the array or vector unit was
/// busy, <see cref="StallCycles"/> it waited for data. SRAM traffic is split by buffer: the weight buffer holds the
/// GEMMs' stationary-side operand (weights, or K/V in attention), the activation buffer everything else.
/// </summary>
public sealed class OpResult(TraceOp op)
{
    public TraceOp Op { get; } = op;
    public long Runs { get; internal set; }
    public long Cycles { get; internal set; }
    public long ComputeCycles { get; internal set; }
    public long StallCycles => Cycles - ComputeCycles;
    public long BusyPeCycles { get; internal set; }
    public Int128 Macs { get; internal set; }

    /// <summary>Element operations of the vector unit (non-GEMM ops).</summary>
    public long ElementOps { get; internal set; }

    public long DramReadBytes { get; internal set; }
    public long DramWriteBytes { get; internal set; }
    public long WeightSramReadBytes { get; internal set; }
    public long WeightSramWriteBytes { get; internal set; }
    public long ActivationSramReadBytes { get; internal set; }
    public long ActivationSramWriteBytes { get; internal set; }
    public long SramReadBytes => WeightSramReadBytes + ActivationSramReadBytes;
    public long SramWriteBytes => WeightSramWriteBytes + ActivationSramWriteBytes;
    public long Tiles { get; internal set; }

    /// <summary>The weight datatype the op ran (null for ops without weights in the array).</summary>
    public string? WeightType { get; internal set; }

    /// <summary>
    /// Adds <paramref name="runs"/> times the MACs, element operations and bytes of <paramref name="other"/> (that many
    /// more runs of the same op), and its weight type if it has one. The same as adding them one run at a time: the
    /// products wrap as the sums would.
    /// </summary>
    internal void AddCounts(OpResult other, long runs)
    {
        Macs += other.Macs * runs;
        ElementOps += other.ElementOps * runs;
        DramReadBytes += other.DramReadBytes * runs;
        DramWriteBytes += other.DramWriteBytes * runs;
        WeightSramReadBytes += other.WeightSramReadBytes * runs;
        WeightSramWriteBytes += other.WeightSramWriteBytes * runs;
        ActivationSramReadBytes += other.ActivationSramReadBytes * runs;
        ActivationSramWriteBytes += other.ActivationSramWriteBytes * runs;
        WeightType = other.WeightType ?? WeightType;
    }
}
