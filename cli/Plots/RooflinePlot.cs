using HwSim.Workloads.Analysis;
using HwSim.Workloads.Tracing;
using ScottPlot;

namespace HwSim.Cli.Plots;

/// <summary>
/// `trace --plot FILE`: the roofline of the machine (attainable MACs per cycle = min(peak, intensity × bytes per
/// cycle)) on log-log axes, with each op of prefill and of the first decode step at its arithmetic intensity and the
/// rate its lower-bound cycles allow.
/// </summary>
public static class RooflinePlot
{
    public static void Write(Workload workload, RooflineMachine machine, string path)
    {
        PlotFile.FormatOf(path);
        var plot = PlotFile.Create($"{workload.Name}: roofline ({machine.PeakMacsPerCycle} MACs/cycle, {machine.BytesPerCycle} B/cycle)",
            "arithmetic intensity (MACs/byte, log scale)", "attainable MACs/cycle (log scale)");
        var phases = new List<(string Name, IReadOnlyList<TraceOp> Ops, long Kv)> { ("prefill", workload.Prefill, 0) };
        if (workload.DecodeSteps > 0) phases.Add(($"decode (kv={workload.FirstDecodeKv})", workload.Decode, workload.FirstDecodeKv));
        var all = new List<double>();
        int color = 1;
        foreach (var (name, ops, kv) in phases)
        {
            // Ops without MACs (norms, softmax, residual adds) have no place on a MAC roofline.
            foreach (var kind in ops.Select(o => Roofline.Classify(o, kv, workload.Precision, machine))
                .Where(r => r.Macs > 0 && r.Bytes > 0 && r.LowerBoundCycles > 0).GroupBy(r => r.Op.Kind))
            {
                double[] xs = [.. kind.Select(p => Math.Log10(p.MacsPerByte))];
                double[] ys = [.. kind.Select(p => Math.Log10((double)p.Macs / p.LowerBoundCycles))];
                all.AddRange(xs);
                var dots = plot.Add.Scatter(xs, ys, PlotFile.Color(color++));
                dots.LineWidth = 0;
                dots.MarkerSize = 8;
                dots.MarkerShape = name == "prefill" ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
                dots.LegendText = $"{name}: {kind.Key.ToString().ToLowerInvariant()} ({kind.Count()} ops)";
            }
        }
        double ridge = machine.RidgeMacsPerByte;
        double low = Math.Min(all.DefaultIfEmpty(0).Min(), Math.Log10(ridge)) - 1, high = Math.Max(all.DefaultIfEmpty(0).Max(), Math.Log10(ridge)) + 1;
        double[] roofX = [low, Math.Log10(ridge), high];
        double[] roofY = [low + Math.Log10(machine.BytesPerCycle), Math.Log10(machine.PeakMacsPerCycle), Math.Log10(machine.PeakMacsPerCycle)];
        var roof = plot.Add.Scatter(roofX, roofY, Colors.Black);
        roof.LineWidth = 2.5f;
        roof.MarkerSize = 0;
        roof.LegendText = $"roofline (ridge {ridge:0.#} MACs/B)";
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.ShowLegend(Alignment.LowerRight);
        PlotFile.Save(plot, path);
    }
}
