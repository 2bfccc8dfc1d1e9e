using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// What one op cost, summed over every time it ran (once in prefill, once per decode step). Cycles run from the end
/// of the previous op's computation to the end of this op's: <see cref="ComputeCycles"/> the array or vector unit was
/// busy, <see cref="StallCycles"/> it waited for data.
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
    public long DramReadBytes { get; internal set; }
    public long DramWriteBytes { get; internal set; }
    public long SramReadBytes { get; internal set; }
    public long SramWriteBytes { get; internal set; }
    public long Tiles { get; internal set; }
}
