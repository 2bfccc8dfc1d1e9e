using HwSim.Workloads.Tracing;

namespace HwSim.Workloads.Analysis;

public enum Bound
{
    Compute,
    Memory,
}

/// <summary>A machine for roofline classification: peak MACs per cycle and memory bytes per cycle.</summary>
public sealed record RooflineMachine(long PeakMacsPerCycle, long BytesPerCycle)
{
    /// <summary>MACs per byte at which both roofs meet; ops above it are compute-bound.</summary>
    public double RidgeMacsPerByte => (double)PeakMacsPerCycle / BytesPerCycle;
}

/// <summary>Arithmetic intensity of one op (at one KV length) and which roof limits it.</summary>
public sealed record OpIntensity(TraceOp Op, long Macs, long Bytes, double MacsPerByte, Bound Bound, long LowerBoundCycles);

public static class Roofline
{
    public static OpIntensity Classify(TraceOp op, long kv, Precision precision, RooflineMachine machine)
    {
        long macs = op.Macs.At(kv);
        long bytes = op.BytesAt(kv, precision);
        double intensity = bytes == 0 ? double.PositiveInfinity : (double)macs / bytes;
        long computeCycles = (macs + machine.PeakMacsPerCycle - 1) / machine.PeakMacsPerCycle;
        long memoryCycles = (bytes + machine.BytesPerCycle - 1) / machine.BytesPerCycle;
        return new OpIntensity(op, macs, bytes, intensity,
            computeCycles >= memoryCycles && macs > 0 ? Bound.Compute : Bound.Memory, Math.Max(computeCycles, memoryCycles));
    }
}
