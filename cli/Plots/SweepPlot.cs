using HwSim.Cli.Sweep;
using ScottPlot;

namespace HwSim.Cli.Plots;

/// <summary>
/// The plot of a finished sweep: a metric against an axis, one line per design (and per value of the other varied
/// axes, named in the legend), or, with a metric on x too, every feasible point as a scatter with the Pareto front of
/// the two metrics marked.
/// </summary>
public static class SweepPlot
{
    public static void Check(Study study, string? x, string? y)
    {
        if (y is not null) SweepMetrics.Find(y, "option '--plot-y'");
        if (x is null)
        {
            if (!study.Axes.Any()) throw new UserInputException("option '--plot': the study varies no axis; give a metric as --plot-x");
            return;
        }
        if (SweepMetrics.TryFind(x) is null && study.Axes.All(a => a.Name != x))
            throw new UserInputException($"option '--plot-x': '{x}' is neither an axis of the study ({string.Join(", ", study.Axes.Select(a => a.Name))}) nor a metric");
    }

    public static void Write(SweepTable table, string path, string? x, string? y)
    {
        var yMetric = y is null ? table.Study.Metrics[0] : SweepMetrics.Find(y, "option '--plot-y'");
        string xName = x ?? table.Axes[0];
        var plot = SweepMetrics.TryFind(xName) is { } xMetric ? Scatter(table, xMetric, yMetric) : Lines(table, xName, yMetric);
        PlotFile.Save(plot, path);
    }

    private static Plot Lines(SweepTable table, string axis, SweepMetric metric)
    {
        var plot = PlotFile.Create($"{table.Study.Name}: {metric.Label} against {axis}", axis, metric.Label);
        // A line per design and per value of every other varied dimension (axes zipped with x move with it).
        var others = table.Study.Dimensions.Where(d => d.Count > 1 && d.Axes.All(a => a.Name != axis)).Select(d => d.Axes[0].Name).ToList();
        var values = table.Rows.Select(r => r.Axes[axis]).Select(SweepPoint.ValueText).Distinct().ToList();
        bool numeric = table.Rows.All(r => double.TryParse(SweepPoint.ValueText(r.Axes[axis]), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));
        double Position(SweepRow r) => numeric
            ? double.Parse(SweepPoint.ValueText(r.Axes[axis]), System.Globalization.CultureInfo.InvariantCulture)
            : values.IndexOf(SweepPoint.ValueText(r.Axes[axis]));
        var series = table.Rows.Where(r => r.Feasible && r.Metrics.GetValueOrDefault(metric) is not null)
            .GroupBy(r => string.Join(", ", others.Select(a => $"{a}={SweepPoint.ValueText(r.Axes[a])}").Prepend(r.Design)))
            .ToList();
        int i = 0;
        foreach (var group in series)
        {
            var points = group.OrderBy(Position).ToList();
            var line = plot.Add.Scatter(points.Select(Position).ToArray(), points.Select(r => r.Metrics[metric]!.Value).ToArray(), PlotFile.Color(i++));
            line.LegendText = group.Key;
            line.MarkerSize = 7;
            line.LineWidth = 2;
        }
        if (!numeric) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. values.Select((_, k) => (double)k)], [.. values]);
        Legend(plot, series.Count);
        return plot;
    }

    private static Plot Scatter(SweepTable table, SweepMetric x, SweepMetric y)
    {
        var plot = PlotFile.Create($"{table.Study.Name}: {y.Label} against {x.Label}", x.Label, y.Label);
        var rows = table.Rows.Where(r => r.Feasible && r.Metrics.GetValueOrDefault(x) is not null && r.Metrics.GetValueOrDefault(y) is not null).ToList();
        int i = 0;
        foreach (var design in rows.GroupBy(r => r.Design))
        {
            var dots = plot.Add.Scatter(design.Select(r => r.Metrics[x]!.Value).ToArray(), design.Select(r => r.Metrics[y]!.Value).ToArray(), PlotFile.Color(i++));
            dots.LineWidth = 0;
            dots.MarkerSize = 8;
            dots.LegendText = design.Key;
        }
        var points = rows.Select(r => (r.Metrics[x]!.Value, r.Metrics[y]!.Value)).ToList();
        var front = ParetoFront.Of(points, x.LowerIsBetter, y.LowerIsBetter);
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(k => points[k].Item1).ToArray(), front.Select(k => points[k].Item2).ToArray(), Colors.Black);
            line.LegendText = $"Pareto front ({(x.LowerIsBetter ? "lower" : "higher")} {x.Name}, {(y.LowerIsBetter ? "lower" : "higher")} {y.Name})";
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            line.MarkerSize = 12;
            line.MarkerShape = MarkerShape.OpenCircle;
        }
        // The front runs toward the corner both objectives prefer; the legend goes where it is not.
        plot.ShowLegend(x.LowerIsBetter == y.LowerIsBetter ? Alignment.UpperRight : Alignment.LowerRight);
        return plot;
    }

    /// <summary>A few series: the legend inside the upper right; more: beside the plot, where it hides no line.</summary>
    private static void Legend(Plot plot, int series)
    {
        if (series <= 5) plot.ShowLegend(Alignment.UpperRight);
        else plot.ShowLegend(Edge.Right);
    }
}
