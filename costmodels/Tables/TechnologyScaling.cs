using System.Globalization;

namespace HwSim.CostModels.Tables;

/// <summary>
/// Area and energy scaling between CMOS nodes from Stillmaker &amp; Baas (Integration 2017), kept as data in
/// costmodels/Data/technology.csv: an area factor per node relative to 45 nm, and an energy polynomial
/// a·Vdd² + b·Vdd + c per node whose ratio between two nodes scales energy at the same supply. Nodes between table
/// entries interpolate linearly in nm; nodes outside 7 … 130 nm are rejected.
/// </summary>
public sealed class TechnologyScaling
{
    /// <summary>The supply energy is compared at: Horowitz's 45 nm figures are at 0.9 V.</summary>
    public const double DefaultVdd = 0.9;

    private readonly (double Node, double Area, double A, double B, double C)[] nodes;

    private TechnologyScaling((double, double, double, double, double)[] nodes) => this.nodes = nodes;

    public static TechnologyScaling BuiltIn { get; } = Parse(CostTable.EmbeddedText("technology.csv"));

    public double MinNodeNm => nodes[^1].Node;
    public double MaxNodeNm => nodes[0].Node;

    public double AreaFactor(double fromNm, double toNm) => Interpolate(toNm, n => n.Area) / Interpolate(fromNm, n => n.Area);

    public double EnergyFactor(double fromNm, double toNm, double vdd = DefaultVdd) =>
        Interpolate(toNm, n => (n.A * vdd + n.B) * vdd + n.C) / Interpolate(fromNm, n => (n.A * vdd + n.B) * vdd + n.C);

    private double Interpolate(double nm, Func<(double Node, double Area, double A, double B, double C), double> value)
    {
        if (nm < MinNodeNm || nm > MaxNodeNm)
            throw new InvalidDataException($"technology node {nm} nm is outside the scaling table ({MinNodeNm} .. {MaxNodeNm} nm)");
        for (int i = 0; i + 1 < nodes.Length; i++)
        {
            var (larger, smaller) = (nodes[i], nodes[i + 1]);
            if (nm <= larger.Node && nm >= smaller.Node)
            {
                double t = (larger.Node - nm) / (larger.Node - smaller.Node);
                return value(larger) + (value(smaller) - value(larger)) * t;
            }
        }
        return value(nodes[^1]);
    }

    private static TechnologyScaling Parse(string text)
    {
        var rows = new List<(double, double, double, double, double)>();
        foreach (var (_, f) in CsvRecords.Read(text, "technology scaling table (built-in)").Skip(1))
        {
            double Number(int i) => double.Parse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            rows.Add((Number(0), Number(1), Number(2), Number(3), Number(4)));
        }
        return new TechnologyScaling([.. rows.OrderByDescending(r => r.Item1)]);
    }
}
