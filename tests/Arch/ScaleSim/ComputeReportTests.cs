using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch.ScaleSim;

/// <summary>
/// SCALE-Sim's COMPUTE_REPORT rows: against the totals SCALE-Sim v2 printed for the same array and GEMM (the
/// published values the CLI test also checks), and every column against a fold-by-fold count by hand.
/// </summary>
public class ComputeReportTests
{
    private static AcceleratorSpec Array(int rows, int cols, string dataflow) => ScaleSimConfig.Read(new StringReader(
        $"[architecture_presets]\nArrayHeight: {rows}\nArrayWidth: {cols}\nIfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\nDataflow: {dataflow}\n"), "s.cfg");

    private static Workload Gemms(string csv) => ScaleSimTopology.Read(new StringReader("Layer,M,N,K,\n" + csv), "t.csv");

    [Theory]
    // scale-sim-v2 COMPUTE_REPORT.csv "Total Cycles" of a 32 × 32 array on GEMM 128 × 256 × 256 per dataflow, and a
    // 128 × 128 WS array on 512 × 4096 × 4096 (tests/Cli/SimulateCommandTests.ReproducesScaleSimComputeReports).
    [InlineData("ws", 32, 128, 256, 256, 14207)]
    [InlineData("os", 32, 128, 256, 256, 10175)]
    [InlineData("is", 32, 128, 256, 256, 11199)]
    [InlineData("ws", 128, 512, 4096, 4096, 915455)]
    public void TotalCyclesAreScaleSimsPublishedOnes(string dataflow, int size, int m, int n, int k, long total)
    {
        var row = Assert.Single(ComputeReport.Of(Array(size, size, dataflow), Gemms($"g,{m},{n},{k},\n")));
        Assert.Equal(("g", total, 0L), (row.Layer, row.TotalCycles, row.StallCycles));
        Assert.Equal(100.0, row.MappingEfficiencyPercent);
    }

    [Fact]
    public void EveryColumnByHand()
    {
        // 4 × 4 WS array, GEMM M = 10, N = 6, K = 5, one 8-bit MAC per PE (one step per cycle):
        // K = 5 on the rows (2 row folds: 4 + 1), N = 6 on the columns (2 column folds: 4 + 2), 4 folds; each fold
        // preloads 4 cycles, then streams M = 10 rows plus the skew 4 + 4 − 2 = 6: 20 cycles, 80 in all, so the
        // report's total is 79. Overall util = 10·6·5 MACs / (16 · 79) = 300 / 1264; mapping efficiency = used PEs
        // (4·4 + 4·2 + 1·4 + 1·2 = 30) / (4 folds · 16) = 46.875 %; compute util = busy PE-cycles 5·6·10 = 300 over
        // 16 PEs × (80 − 4 folds · 4 preload) = 1024.
        var ws = Assert.Single(ComputeReport.Of(Array(4, 4, "ws"), Gemms("a,10,6,5,\n")));
        Assert.Equal(79, ws.TotalCycles);
        Assert.Equal(100.0 * 300 / 1264, ws.OverallUtilPercent, 12);
        Assert.Equal(46.875, ws.MappingEfficiencyPercent, 12);
        Assert.Equal(100.0 * 300 / 1024, ws.ComputeUtilPercent, 12);

        // The same GEMM output-stationary on a 4 × 2 array: outputs M = 10 on the rows (3 folds: 4 + 4 + 2), N = 6 on
        // the columns (3 folds of 2), 9 folds; no preload; each streams K = 5 steps plus skew 4 + 2 − 2 = 4: 9 cycles,
        // 81 in all, total 80. Used PEs 10·6 = 60 over 9 · 8 = 72; busy 10·6·5 = 300 over 8 · 81 = 648.
        var os = Assert.Single(ComputeReport.Of(Array(4, 2, "os"), Gemms("b,10,6,5,\n")));
        Assert.Equal(80, os.TotalCycles);
        Assert.Equal(100.0 * 300 / (8 * 80), os.OverallUtilPercent, 12);
        Assert.Equal(100.0 * 60 / 72, os.MappingEfficiencyPercent, 12);
        Assert.Equal(100.0 * 300 / 648, os.ComputeUtilPercent, 12);

        // Input-stationary on a 2 × 4 array: K = 5 on the rows (3 folds: 2 + 2 + 1), M = 10 on the columns (3 folds:
        // 4 + 4 + 2), 9 folds; preload 2, then N = 6 steps plus skew 2 + 4 − 2 = 4: 12 cycles, 108 in all, total 107.
        // Used PEs 5·10 = 50 over 72; busy 300 over 8 · (108 − 9 · 2) = 720.
        var @is = Assert.Single(ComputeReport.Of(Array(2, 4, "is"), Gemms("c,10,6,5,\n")));
        Assert.Equal(107, @is.TotalCycles);
        Assert.Equal(100.0 * 300 / (8 * 107), @is.OverallUtilPercent, 12);
        Assert.Equal(100.0 * 50 / 72, @is.MappingEfficiencyPercent, 12);
        Assert.Equal(100.0 * 300 / 720, @is.ComputeUtilPercent, 12);
    }

    [Fact]
    public void OnlyGemmsHaveRowsInTheirOrder()
    {
        var gemms = Gemms("first,10,6,5,\nsecond,1,1,1,\n");
        // An elementwise op between them has no row.
        var softmax = new TraceOp(2, "softmax", OpKind.Softmax, -1, Phase.Standalone, null, new Affine(64), [], []);
        var topology = gemms with { Prefill = [gemms.Prefill[0], softmax, gemms.Prefill[1]] };
        var rows = ComputeReport.Of(Array(4, 4, "ws"), topology);
        Assert.Equal(["first", "second"], rows.Select(r => r.Layer));
        // 1 × 1 × 1 on 4 × 4 WS: one fold of 4 + (1 + 6) = 11 cycles, total 10; 1 MAC over 16 · 10; 1 of 16 PEs used;
        // busy 1 over 16 · (11 − 4).
        Assert.Equal((10L, 100.0 / 160, 100.0 / 16, 100.0 / 112), (rows[1].TotalCycles, rows[1].OverallUtilPercent, rows[1].MappingEfficiencyPercent, rows[1].ComputeUtilPercent));
        Assert.Empty(ComputeReport.Of(Array(4, 4, "ws"), gemms with { Prefill = [softmax] }));
    }

    [Fact]
    public void TheCsvIsScaleSimsLayout()
    {
        ComputeReportRow[] rows = [new("a", 79, 0, 100.0 * 300 / 1264, 46.875, 100.0 * 300 / 1024), new("b", 10, 3, 0.625, 6.25, 0.00004)];
        // Four decimals, invariant culture, ", " between cells and a trailing comma (SCALE-Sim's own CSV writer).
        Assert.Equal(
            "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n" +
            "a, 79, 0, 23.7342, 46.8750, 29.2969,\n" +
            "b, 10, 3, 0.6250, 6.2500, 0.0000,\n",
            ComputeReport.ToCsv(rows));
        Assert.Equal("LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n", ComputeReport.ToCsv([]));
    }
}
