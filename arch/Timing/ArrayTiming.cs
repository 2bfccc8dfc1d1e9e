using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Timing;

/// <summary>
/// A GEMM C[M×N] = A[M×K]·B[K×N] mapped onto an array (SCALE-Sim v2 operand mapping,
/// scale-sim-v2 scalesim/compute/systolic_compute_{ws,os,is}.py): the stationary or spatial operands take Sr rows and
/// Sc columns of the array, the rest streams for T steps. K counts dot-product steps: ceil(K / dot-product width).
/// </summary>
public sealed record ArrayMapping(long SpatialRows, long SpatialCols, long TemporalSteps, long RowFolds, long ColFolds)
{
    public long Folds => RowFolds * ColFolds;
}

/// <summary>
/// Cycle counts of a GEMM on an array, in closed form. Each fold runs the same fixed-length sequence whether or not
/// it is full (the array's sequencer does not know how many rows and columns carry data):
/// preload (R cycles to shift the stationary operand down R rows; WS and IS only) + L · (T + skew), where L is the
/// PE's cycles per step and skew = R + C − 2 steps for a systolic array (the last operand enters row R−1 R−1 steps
/// late and crosses C−1 columns; its result leaves the bottom row) and 0 for a broadcast array. Output-stationary
/// folds end with the last MAC: finished outputs move to shadow registers and drain during the next fold.
/// The detailed simulator (Detailed/DetailedArraySimulator) produces the same counts by moving operands.
/// </summary>
public static class ArrayTiming
{
    public static ArrayMapping Map(ArraySpec array, int dotProductWidth, long m, long n, long k)
    {
        long steps = CeilDiv(k, dotProductWidth);
        var (sr, sc, t) = array.Dataflow switch
        {
            Dataflow.Ws => (steps, n, m),
            Dataflow.Os => (m, n, steps),
            _ => (steps, m, n),
        };
        return new ArrayMapping(sr, sc, t, CeilDiv(sr, array.Rows), CeilDiv(sc, array.Cols));
    }

    public static long PreloadCycles(ArraySpec array) => array.Dataflow == Dataflow.Os ? 0 : array.Rows;

    public static long SkewSteps(ArraySpec array) =>
        array.Interconnect == Interconnect.Systolic ? array.Rows + array.Cols - 2 : 0;

    public static long FoldCycles(ArraySpec array, long temporalSteps, int cyclesPerStep) =>
        PreloadCycles(array) + cyclesPerStep * (temporalSteps + SkewSteps(array));

    public static GemmTiming Gemm(ArraySpec array, PeSpec pe, WeightDatatype weights, long m, long n, long k)
    {
        var mapping = Map(array, pe.DotProductWidth, m, n, k);
        int cyclesPerStep = pe.CyclesPerStep(weights);
        long foldCycles = FoldCycles(array, mapping.TemporalSteps, cyclesPerStep);
        // Σ over folds of used rows × used cols = Sr · Sc exactly (the folds tile the Sr × Sc plane).
        long busyPeCycles = checked(mapping.SpatialRows * mapping.SpatialCols * mapping.TemporalSteps * cyclesPerStep);
        return new GemmTiming(mapping, cyclesPerStep, foldCycles, checked(mapping.Folds * foldCycles), busyPeCycles,
            (long)array.Rows * array.Cols);
    }

    internal static long CeilDiv(long a, long b) => (a + b - 1) / b;
}

/// <summary>
/// Cycles of one GEMM: <see cref="Cycles"/> = Folds · FoldCycles; <see cref="BusyPeCycles"/> counts PE-cycles that
/// multiply real (not padding) operands.
/// </summary>
public sealed record GemmTiming(ArrayMapping Mapping, int CyclesPerStep, long FoldCycles, long Cycles, long BusyPeCycles, long PeCount)
{
    /// <summary>Used PEs over all PEs, averaged over folds (SCALE-Sim's mapping efficiency).</summary>
    public double MappingEfficiency =>
        (double)Mapping.SpatialRows * Mapping.SpatialCols / ((double)Mapping.Folds * PeCount);

    /// <summary>Busy PE-cycles over all PE-cycles of the GEMM.</summary>
    public double Utilization => Cycles == 0 ? 0 : BusyPeCycles / ((double)Cycles * PeCount);
}
