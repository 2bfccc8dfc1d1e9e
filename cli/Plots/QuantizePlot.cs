using HwSim.Numerics.Quantization;
using ScottPlot;

namespace HwSim.Cli.Plots;

/// <summary>`quantize --plot FILE`: weight and output SQNR of each datatype against its stored bits per weight, labeled.</summary>
public static class QuantizePlot
{
    public static void Write(IReadOnlyList<StudyRow> rows, string source, string path)
    {
        PlotFile.FormatOf(path);
        var plot = PlotFile.Create($"SQNR against bits per weight ({source})", "bits per weight (incl. scales)", "SQNR (dB)");
        var weights = plot.Add.Scatter(rows.Select(r => r.EffectiveBits).ToArray(), rows.Select(r => r.Weights.SqnrDb).ToArray(), PlotFile.Color(0));
        weights.LineWidth = 0;
        weights.MarkerSize = 9;
        weights.LegendText = "weight SQNR";
        var outputs = plot.Add.Scatter(rows.Select(r => r.EffectiveBits).ToArray(), rows.Select(r => r.Outputs.SqnrDb).ToArray(), PlotFile.Color(1));
        outputs.LineWidth = 0;
        outputs.MarkerSize = 7;
        outputs.MarkerShape = MarkerShape.OpenSquare;
        outputs.LegendText = "output SQNR";
        foreach (var row in rows)
        {
            var label = plot.Add.Text(row.Name, row.EffectiveBits, row.Weights.SqnrDb);
            label.LabelFontSize = 11;
            label.LabelOffsetX = 6;
            label.LabelOffsetY = -6;
        }
        plot.ShowLegend(Alignment.LowerRight);
        PlotFile.Save(plot, path);
    }
}
