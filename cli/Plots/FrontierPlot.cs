using HwSim.Arch.Spec;
using HwSim.CostModels.Allocation;
using ScottPlot;

namespace HwSim.Cli.Plots;

/// <summary>`optimize --pareto N --plot FILE`: the plans of the latency-budget sweep, quantization sensitivity against simulated-model latency, with the front.</summary>
public static class FrontierPlot
{
    public static void Write(IReadOnlyList<ParetoPoint> frontier, AcceleratorSpec spec, string model, string path)
    {
        PlotFile.FormatOf(path);
        var plot = PlotFile.Create($"{model} on {spec.Name}: precision plans over the latency budget", "plan latency (ms)", "quantization sensitivity (sum of squared error)");
        var points = frontier.Where(p => p.Result.Totals is not null)
            .Select(p => (X: p.Result.Totals!.LatencyCycles * 1000.0 / spec.ClockHz, Y: p.Result.Totals.Sensitivity)).ToList();
        var dots = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), PlotFile.Color(0));
        dots.LineWidth = 0;
        dots.MarkerSize = 9;
        dots.LegendText = "plan of one latency budget";
        var front = ParetoFront.Of(points, minimizeX: true, minimizeY: true);
        var line = plot.Add.Scatter(front.Select(i => points[i].X).ToArray(), front.Select(i => points[i].Y).ToArray(), Colors.Black);
        line.LineWidth = 2;
        line.LinePattern = LinePattern.Dashed;
        line.MarkerSize = 0;
        line.LegendText = "Pareto front";
        plot.ShowLegend(Alignment.UpperRight);
        PlotFile.Save(plot, path);
    }
}
