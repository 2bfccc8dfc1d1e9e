using System.Xml.Linq;
using HwSim.Cli.Plots;
using HwSim.Tests.Cli.Sweep;
using SkiaSharp;

namespace HwSim.Tests.Cli.Plots;

/// <summary>Every plot kind is written by its command, at the stated size, and is not blank.</summary>
public class PlotTests : TemporaryDirectory
{
    private void AssertPicture(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        if (path.EndsWith(".svg", StringComparison.Ordinal))
        {
            var svg = XDocument.Load(path).Root!;
            Assert.Equal(PlotFile.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)svg.Attribute("width"));
            Assert.Equal(PlotFile.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)svg.Attribute("height"));
            Assert.True(svg.Descendants().Count() > 50, "the SVG draws something");
            return;
        }
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(PlotFile.Width, bitmap.Width);
        Assert.Equal(PlotFile.Height, bitmap.Height);
        // Not blank: the luminance varies (a white image with nothing drawn has variance 0), and a good share of the
        // pixels are not background.
        double sum = 0, squares = 0;
        int drawn = 0, n = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                double l = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += l;
                squares += l * l;
                drawn += l < 250 ? 1 : 0;
                n++;
            }
        }
        double variance = squares / n - (sum / n) * (sum / n);
        Assert.True(variance > 100, $"luminance variance {variance:F1}: the image looks blank");
        Assert.True(drawn > n / 100, $"only {drawn} of {n} sampled pixels are drawn");
    }

    [Fact]
    public void SweepPlotsLinesAndAParetoScatter()
    {
        string study = Path.Combine(TempPath, "study.yaml");
        File.WriteAllText(study, SweepFixtures.SmallStudy);
        string results = Path.Combine(TempPath, "out");
        string lines = Path.Combine(TempPath, "lines.png"), scatter = Path.Combine(TempPath, "pareto.svg"), scatterPng = Path.Combine(TempPath, "pareto.png");
        var (exit, _, error) = CliRunner.Run("sweep", study, "--results", results, "--quiet", "--plot", lines, "--plot-y", "latency_ms");
        Assert.True(exit == 0, error);
        AssertPicture(lines);
        Assert.Equal(0, CliRunner.Run("sweep", study, "--results", results, "--plot", scatter, "--plot-x", "area_mm2", "--plot-y", "tokens_per_s").ExitCode);
        AssertPicture(scatter);
        Assert.Equal(0, CliRunner.Run("sweep", study, "--results", results, "--plot", scatterPng, "--plot-x", "energy_mj", "--plot-y", "latency_ms").ExitCode);
        AssertPicture(scatterPng);
        string categories = Path.Combine(TempPath, "weights.png");
        Assert.Equal(0, CliRunner.Run("sweep", study, "--results", results, "--plot", categories, "--plot-x", "weights", "--plot-y", "energy_mj").ExitCode);
        AssertPicture(categories);
    }

    [Fact]
    public void CompareQuantizeTraceAndOptimizeDrawTheirPlots()
    {
        string compare = Path.Combine(TempPath, "compare.png");
        var (exit, _, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "16", "--generate", "2", "--compare", "fp16-baseline,ant,bitmod", "--plot", compare);
        Assert.True(exit == 0, error);
        AssertPicture(compare);

        string quantize = Path.Combine(TempPath, "quantize.png");
        (exit, _, error) = CliRunner.Run("quantize", "--synthetic", "--rows", "32", "--cols", "128", "--dtype", "int4,int8,bitmod4,mxfp4", "--activation-rows", "2", "--plot", quantize);
        Assert.True(exit == 0, error);
        AssertPicture(quantize);

        string roofline = Path.Combine(TempPath, "roofline.svg");
        (exit, _, error) = CliRunner.Run("trace", "--model", "opt-1.3b", "--prompt", "64", "--generate", "2", "--plot", roofline);
        Assert.True(exit == 0, error);
        AssertPicture(roofline);

        string frontier = Path.Combine(TempPath, "frontier.png");
        (exit, _, error) = CliRunner.Run("optimize", "--model", "opt-1.3b", "--prompt", "16", "--generate", "2", "--granularity", "layer",
            "--sample-rows", "4", "--pareto", "3", "--out", Path.Combine(TempPath, "plan.json"), "--plot", frontier);
        Assert.True(exit == 0, error);
        AssertPicture(frontier);
    }

    [Fact]
    public void RejectsPlotsThatCannotBeMade()
    {
        var (exit, _, error) = CliRunner.Run("simulate", "--compare", "bitmod", "--plot", Path.Combine(TempPath, "x.pdf"));
        Assert.Equal(2, exit);
        Assert.Contains("should end in .png or .svg", error);
        (exit, _, error) = CliRunner.Run("simulate", "--plot", Path.Combine(TempPath, "x.png"));
        Assert.Equal(2, exit);
        Assert.Contains("option '--plot' applies only with --compare", error);
        (exit, _, error) = CliRunner.Run("optimize", "--pareto", "0", "--plot", Path.Combine(TempPath, "x.png"));
        Assert.Equal(2, exit);
        Assert.Contains("option '--plot' needs the frontier of '--pareto'", error);
    }

    [Fact]
    public void ParetoFrontMatchesBruteForce()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var points = Enumerable.Range(0, 30).Select(_ => ((double)random.Next(20), (double)random.Next(20))).ToList();
            foreach (var (minX, minY) in new[] { (true, true), (true, false), (false, true) })
            {
                bool Better(double a, double b, bool min) => min ? a < b : a > b;
                bool NoWorse(double a, double b, bool min) => min ? a <= b : a >= b;
                var expected = Enumerable.Range(0, points.Count).Where(i => !points.Where((q, j) => j != i &&
                    NoWorse(q.Item1, points[i].Item1, minX) && NoWorse(q.Item2, points[i].Item2, minY) &&
                    (Better(q.Item1, points[i].Item1, minX) || Better(q.Item2, points[i].Item2, minY))).Any()).Select(i => points[i]).Distinct().OrderBy(p => p).ToList();
                var actual = ParetoFront.Of(points, minX, minY).Select(i => points[i]).OrderBy(p => p).ToList();
                Assert.Equal(expected, actual);
            }
        }
    }
}
