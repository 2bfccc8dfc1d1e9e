using System.Globalization;

namespace HwSim.Arch.Serving;

/// <summary>
/// A distribution of token counts, written NAME or NAME:PARAMS: a number (fixed), <c>uniform:A:B</c> (integers
/// A..B inclusive), <c>normal:MEAN:STD</c> and <c>lognormal:MU:SIGMA</c> (parameters of the underlying normal, as
/// numpy's lognormal), the continuous ones rounded to the nearest integer and clipped to at least 1 token.
/// </summary>
public abstract class LengthDistribution
{
    public abstract string Text { get; }

    public abstract int Sample(Random random);

    private static readonly Dictionary<string, Func<double[], string, LengthDistribution>> Families = new(StringComparer.Ordinal)
    {
        ["uniform"] = (p, text) => p.Length == 2 && IsCount(p[0]) && IsCount(p[1]) && p[0] <= p[1]
            ? new UniformLength((int)p[0], (int)p[1], text) : throw Bad(text, "uniform:A:B needs whole numbers 1 <= A <= B"),
        ["normal"] = (p, text) => p.Length == 2 && p[1] >= 0 ? new NormalLength(p[0], p[1], false, text) : throw Bad(text, "normal:MEAN:STD needs STD >= 0"),
        ["lognormal"] = (p, text) => p.Length == 2 && p[1] >= 0 ? new NormalLength(p[0], p[1], true, text) : throw Bad(text, "lognormal:MU:SIGMA needs SIGMA >= 0"),
    };

    public static IEnumerable<string> Names => Families.Keys.Prepend("N");

    /// <summary>Parses a distribution; throws <see cref="FormatException"/> naming <paramref name="field"/> on a bad one.</summary>
    public static LengthDistribution Parse(string text, string field)
    {
        try
        {
            string[] parts = text.Split(':');
            if (parts.Length == 1)
                return double.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out double n) && IsCount(n)
                    ? new UniformLength((int)n, (int)n, text) : throw Bad(text, "a fixed length is a whole number from 1");
            if (!Families.TryGetValue(parts[0], out var make))
                throw Bad(text, $"unknown distribution '{parts[0]}' (expected N, {string.Join(", ", Families.Keys.Select(k => k + ":..."))})");
            var numbers = parts.Skip(1).Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                ? v : throw Bad(text, $"'{p}' is not a number")).ToArray();
            return make(numbers, text);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{field}: {e.Message}");
        }
    }

    private static bool IsCount(double value) => value >= 1 && value <= int.MaxValue && Math.Floor(value) == value;

    private static ArgumentException Bad(string text, string reason) => new($"'{text}': {reason}");
}

/// <summary>Integers lo..hi with equal probability (lo == hi: a fixed length).</summary>
public sealed class UniformLength(int lo, int hi, string text) : LengthDistribution
{
    public override string Text => text;

    public override int Sample(Random random) => lo == hi ? lo : random.Next(lo, hi + 1);
}

/// <summary>A normal (or log-normal) sample by the Box–Muller transform, rounded half away from zero and clipped to at least 1.</summary>
public sealed class NormalLength(double mean, double std, bool logNormal, string text) : LengthDistribution
{
    public override string Text => text;

    public override int Sample(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        double z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        double value = mean + std * z;
        if (logNormal) value = Math.Exp(value);
        return (int)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 1, int.MaxValue);
    }
}
