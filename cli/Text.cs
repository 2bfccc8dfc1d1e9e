using System.Globalization;

namespace HwSim.Cli;

/// <summary>Number formats of the CLI's tables (invariant culture, so output is the same on every machine).</summary>
public static class Text
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(Int128 value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Fixed(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    public static string General(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
