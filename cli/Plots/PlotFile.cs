using ScottPlot;

namespace HwSim.Cli.Plots;

/// <summary>The image formats of --plot, chosen by the file's extension.</summary>
public enum PlotFormat
{
    Png,
    Svg,
}

/// <summary>Writes a ScottPlot figure as PNG or SVG (by extension), atomically, at one size for every HwSim figure.</summary>
public static class PlotFile
{
    /// <summary>Every figure's size in pixels: wide enough for a legend beside a dozen series, 5:3 like a paper column figure.</summary>
    public const int Width = 1000, Height = 600;

    public static PlotFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => PlotFormat.Png,
        ".svg" => PlotFormat.Svg,
        var other => throw new UserInputException($"option '--plot': '{path}' should end in .png or .svg (got '{other}')"),
    };

    public static void Save(Plot plot, string path)
    {
        var format = FormatOf(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        if (format == PlotFormat.Png)
        {
            byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
            AtomicFile.Write(path, stream => stream.Write(png));
        }
        else AtomicFile.WriteText(path, plot.GetSvgXml(Width, Height));
    }

    /// <summary>A new figure with the title and axis labels every HwSim plot has.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>The i-th color of the Category10 palette (distinct series colors).</summary>
    public static Color Color(int i) => new ScottPlot.Palettes.Category10().GetColor(i);
}
