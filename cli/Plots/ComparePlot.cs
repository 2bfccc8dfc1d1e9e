using HwSim.Cli.Commands;
using HwSim.CostModels;
using HwSim.CostModels.Models;
using HwSim.Workloads.Tracing;
using ScottPlot;

namespace HwSim.Cli.Plots;

/// <summary>
/// `simulate --compare --plot FILE`: per design, latency (left axis) and energy (right axis, priced with the built-in
/// cost tables at the default node) as bars stacked by phase, prefill below decode.
/// </summary>
public static class ComparePlot
{
    public static void Write(IReadOnlyList<CompareRun> runs, Workload workload, string path)
    {
        PlotFile.FormatOf(path);
        var costs = new CostModelOptions().Lookup();
        var plot = PlotFile.Create($"{workload.Name}: latency and energy per design, by phase", "design", "latency (ms)");
        plot.Axes.Right.Label.Text = $"energy (mJ, {costs.NodeNm:0} nm)";
        var latency = new List<Bar>();
        var energy = new List<Bar>();
        Color prefillTime = PlotFile.Color(0), decodeTime = PlotFile.Color(0).WithAlpha(0.45), prefillEnergy = PlotFile.Color(1), decodeEnergy = PlotFile.Color(1).WithAlpha(0.45);
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i].Result;
            double prefillMs = r.Milliseconds(r.PrefillCycles), decodeMs = r.Milliseconds(r.DecodeCycles);
            var report = EnergyModel.Of(r, costs);
            double prefillMj = report.PhasePicoJoules(Phase.Prefill) * 1e-9 + report.PhasePicoJoules(Phase.Standalone) * 1e-9;
            double decodeMj = report.PhasePicoJoules(Phase.Decode) * 1e-9;
            latency.Add(new Bar { Position = i - 0.2, ValueBase = 0, Value = prefillMs, FillColor = prefillTime, Size = 0.38 });
            latency.Add(new Bar { Position = i - 0.2, ValueBase = prefillMs, Value = prefillMs + decodeMs, FillColor = decodeTime, Size = 0.38 });
            energy.Add(new Bar { Position = i + 0.2, ValueBase = 0, Value = prefillMj, FillColor = prefillEnergy, Size = 0.38 });
            energy.Add(new Bar { Position = i + 0.2, ValueBase = prefillMj, Value = prefillMj + decodeMj, FillColor = decodeEnergy, Size = 0.38 });
        }
        plot.Add.Bars(latency);
        var energyBars = plot.Add.Bars(energy);
        energyBars.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. runs.Select((_, i) => (double)i)], [.. runs.Select(r => r.Label)]);
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Right.Min = 0;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "latency, prefill", FillColor = prefillTime });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "latency, decode", FillColor = decodeTime });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "energy, prefill", FillColor = prefillEnergy });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "energy, decode", FillColor = decodeEnergy });
        plot.ShowLegend(Alignment.UpperRight);
        PlotFile.Save(plot, path);
    }
}
