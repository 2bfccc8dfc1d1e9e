namespace HwSim.Cli.Plots;

/// <summary>The non-dominated points of a two-objective set, each objective minimized or maximized.</summary>
public static class ParetoFront
{
    /// <summary>
    /// Indices of the points no other point dominates (at least as good in both objectives and better in one), sorted
    /// by x. O(n log n): sort by x (best first, ties by y best first), then keep each point that improves the best y so far.
    /// </summary>
    public static IReadOnlyList<int> Of(IReadOnlyList<(double X, double Y)> points, bool minimizeX, bool minimizeY)
    {
        double Sx(double v) => minimizeX ? v : -v;
        double Sy(double v) => minimizeY ? v : -v;
        var order = Enumerable.Range(0, points.Count).OrderBy(i => Sx(points[i].X)).ThenBy(i => Sy(points[i].Y)).ToList();
        var front = new List<int>();
        double best = double.PositiveInfinity;
        foreach (int i in order)
        {
            if (Sy(points[i].Y) < best)
            {
                front.Add(i);
                best = Sy(points[i].Y);
            }
        }
        return [.. front.OrderBy(i => points[i].X)];
    }
}
