using System.Globalization;
using System.Text;
using HwSim.Arch.Spec;
using HwSim.Arch.Timing;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.ScaleSim;

/// <summary>One row of SCALE-Sim's COMPUTE_REPORT.csv.</summary>
public sealed record ComputeReportRow(
    string Layer, long TotalCycles, long StallCycles, double OverallUtilPercent, double MappingEfficiencyPercent, double ComputeUtilPercent);

/// <summary>
/// SCALE-Sim v2's compute accounting (stall-free bandwidth). Total Cycles is the cycle index of the last output
/// write counted from 0 (scale-sim-v2 scalesim/memory/double_buffered_scratchpad_mem.py sets total_cycles to the
/// serviced cycle of the last OFMAP demand row), i.e. our cycle count − 1; Overall Util = MACs / (R · C · Total
/// Cycles); Mapping Efficiency = used PEs / (R · C) averaged over folds. Compute Util is ours: busy PE-cycles over
/// the PE-cycles of the folds excluding the stationary preload (SCALE-Sim's per-fold definition is not reproduced).
/// </summary>
public static class ComputeReport
{
    public static IReadOnlyList<ComputeReportRow> Of(AcceleratorSpec spec, Workload topology)
    {
        var rows = new List<ComputeReportRow>();
        var int8 = WeightDatatypes.Get("int8");
        foreach (var op in topology.Prefill)
        {
            if (op.Gemm is not { } gemm) continue;
            long m = gemm.M.Constant, n = gemm.N.Constant, k = gemm.K.Constant;
            var timing = ArrayTiming.Gemm(spec.Array, spec.Pe, int8, m, n, k);
            long total = timing.Cycles - 1;
            double pes = (double)spec.Array.Rows * spec.Array.Cols;
            long computeCycles = timing.Cycles - timing.Mapping.Folds * ArrayTiming.PreloadCycles(spec.Array);
            rows.Add(new ComputeReportRow(op.Name, total, 0,
                100.0 * m * n * k / (pes * total),
                100.0 * timing.MappingEfficiency,
                100.0 * timing.BusyPeCycles / (pes * computeCycles)));
        }
        return rows;
    }

    public static string ToCsv(IEnumerable<ComputeReportRow> rows)
    {
        var text = new StringBuilder("LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n");
        foreach (var r in rows)
            text.Append(CultureInfo.InvariantCulture, $"{r.Layer}, {r.TotalCycles}, {r.StallCycles}, {r.OverallUtilPercent:F4}, {r.MappingEfficiencyPercent:F4}, {r.ComputeUtilPercent:F4},\n");
        return text.ToString();
    }
}
