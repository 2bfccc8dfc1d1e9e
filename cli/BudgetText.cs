using System.Globalization;
using System.Text.RegularExpressions;

namespace HwSim.Cli;

/// <summary>
/// Budgets as users type them: a multiple of a reference ("0.8x": 0.8 times the all-widest plan's value, or for
/// area the design's), or an absolute amount with a unit. Latency: cycles (bare or "cycles"), "us", "ms", "s";
/// energy: "pJ", "nJ", "uJ", "mJ", "J"; memory: "B", "KB", "MB", "GB" (10^3 steps), "KiB", "MiB", "GiB", "bits";
/// area: "um2", "mm2". A number without a unit is cycles for latency only, and must then be whole; otherwise the
/// error asks whether the multiple ("0.8x") was meant. Budgets are floored to whole units of the program (cycles, pJ, bits, µm²), so a plan that
/// fits the integer budget fits the typed one.
/// </summary>
public static partial class BudgetText
{
    public static long Latency(string text, long widestCycles, long clockHz) => Parse(text, "--latency-budget", widestCycles, unit => unit switch
    {
        "" or "cycles" => 1,
        "us" => clockHz / 1e6,
        "ms" => clockHz / 1e3,
        "s" => clockHz,
        _ => null,
    });

    public static long Energy(string text, long widestPicoJoules) => Parse(text, "--energy-budget", widestPicoJoules, unit => unit switch
    {
        "pj" => 1,
        "nj" => 1e3,
        "uj" => 1e6,
        "mj" => 1e9,
        "j" => 1e12,
        _ => null,
    });

    public static long Memory(string text, long widestBits) => Parse(text, "--memory-budget", widestBits, unit => unit switch
    {
        "bits" => 1,
        "b" => 8,
        "kb" => 8e3,
        "mb" => 8e6,
        "gb" => 8e9,
        "kib" => 8.0 * 1024,
        "mib" => 8.0 * 1024 * 1024,
        "gib" => 8.0 * 1024 * 1024 * 1024,
        _ => null,
    });

    public static long Area(string text, double designUm2) => Parse(text, "--area-budget", designUm2, unit => unit switch
    {
        "um2" => 1,
        "mm2" => 1e6,
        _ => null,
    });

    private static long Parse(string text, string option, double reference, Func<string, double?> unitScale)
    {
        var match = Amount().Match(text.Trim());
        if (!match.Success) throw new UserInputException($"option '{option}': '{text}' is not a number with an optional unit (e.g. 0.8x)");
        double value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        string unit = match.Groups["unit"].Value.ToLowerInvariant();
        // A bare fraction is almost always a forgotten "x" (0.8 meant 0.8x, not 0.8 of a cycle); a bare amount is
        // only a whole number of the option's base unit where that unit is implicit (cycles).
        if (unit.Length == 0 && (value != Math.Floor(value) || unitScale("") is null))
            throw new UserInputException($"option '{option}': '{text}' has no unit; did you mean {match.Groups["value"].Value}x?");
        double amount = unit == "x" ? value * reference
            : unitScale(unit) is { } scale ? value * scale
            : throw new UserInputException($"option '{option}': unknown unit '{match.Groups["unit"].Value}'");
        if (!double.IsFinite(amount) || amount >= long.MaxValue)
            throw new UserInputException($"option '{option}': '{text}' is out of range (at most {long.MaxValue} in the program's units: cycles, pJ, bits or um2)");
        if (!(amount > 0)) throw new UserInputException($"option '{option}': '{text}' must be positive");
        return (long)Math.Floor(amount);
    }

    [GeneratedRegex(@"^(?<value>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(?<unit>[a-zA-Z0-9]*)$")]
    private static partial Regex Amount();
}
