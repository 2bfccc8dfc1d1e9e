using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace HwSim.Cli;

/// <summary>Option factories whose parse and range errors name the option.</summary>
public static class Options
{
    public static Option<long> AtLeast(string name, long minimum, long defaultValue, string description) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseAtLeast(result, name, minimum) ?? defaultValue,
        };

    /// <summary>An option's value as an int, or a one-line error naming the option when it does not fit.</summary>
    public static int ToInt(long value, string option) =>
        value <= int.MaxValue ? (int)value : throw new UserInputException($"option '{option}' must be at most {int.MaxValue}");

    public static Option<long?> OptionalAtLeast(string name, long minimum, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseAtLeast(result, name, minimum),
        };

    private static long? ParseAtLeast(ArgumentResult result, string name, long minimum)
    {
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[^1].Value;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"option '{name}' expects an integer, got '{text}'");
            return null;
        }
        if (value < minimum)
        {
            result.AddError($"option '{name}' must be at least {minimum} (got {value})");
            return null;
        }
        return value;
    }
}
