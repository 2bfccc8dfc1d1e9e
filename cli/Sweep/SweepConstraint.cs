using System.Globalization;
using System.Text.RegularExpressions;

namespace HwSim.Cli.Sweep;

/// <summary>A bound on a computed metric, written "METRIC OP NUMBER" (<c>area_mm2 &lt;= 5</c>); OP is &lt;, &lt;=, &gt;, &gt;= or ==.</summary>
public sealed partial record SweepConstraint(SweepMetric Metric, string Operator, double Bound)
{
    public string Text => $"{Metric.Name} {Operator} {Bound.ToString("R", CultureInfo.InvariantCulture)}";

    /// <summary>Whether <paramref name="value"/> meets the bound; a metric without a value (no decode) does not.</summary>
    public bool Holds(double? value) => value is { } v && Operator switch
    {
        "<" => v < Bound,
        "<=" => v <= Bound,
        ">" => v > Bound,
        ">=" => v >= Bound,
        _ => v == Bound,
    };

    public static SweepConstraint Parse(string text, string where)
    {
        var match = Form().Match(text);
        if (!match.Success) throw new InvalidDataException($"{where}: '{text}' is not METRIC OP NUMBER (e.g. area_mm2 <= 5)");
        var metric = SweepMetrics.Find(match.Groups[1].Value, where);
        if (!double.TryParse(match.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double bound) || !double.IsFinite(bound))
            throw new InvalidDataException($"{where}: '{match.Groups[3].Value}' is not a finite number");
        return new SweepConstraint(metric, match.Groups[2].Value, bound);
    }

    [GeneratedRegex(@"^\s*([a-z0-9_]+)\s*(<=|>=|==|<|>)\s*(\S+)\s*$")]
    private static partial Regex Form();
}
