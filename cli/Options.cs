using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using HwSim.Numerics.IO;

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

    /// <summary>
    /// <paramref name="path"/> when it names an existing file (null stays null); otherwise a one-line input error
    /// naming <paramref name="option"/>, the same for every file option.
    /// </summary>
    public static string? ExistingFile(string? path, string option)
    {
        if (path is null) return null;
        if (File.Exists(path)) return path;
        throw new UserInputException(Directory.Exists(path)
            ? $"option '{option}': '{path}' is a directory, not a file"
            : $"option '{option}': file '{path}' does not exist");
    }

    /// <summary>The text of the input file <paramref name="path"/>, read up to <see cref="BoundedFile.MaxTextBytes"/>.</summary>
    public static string ReadText(string path, string option) => BoundedFile.ReadAllText(ExistingFile(path, option)!);

    /// <summary>A finite floating-point option in [<paramref name="minimum"/>, <paramref name="maximum"/>]; NaN and infinities are rejected.</summary>
    public static double InRange(double value, string option, double minimum, double maximum, string unit = "") =>
        double.IsFinite(value) && value >= minimum && value <= maximum ? value
            : throw new UserInputException($"option '{option}' must be a number in {minimum} .. {maximum}{unit} (got {value.ToString(CultureInfo.InvariantCulture)})");

    public static Option<long?> OptionalAtLeast(string name, long minimum, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseAtLeast(result, name, minimum),
        };

    /// <summary>
    /// An option choosing one value of <typeparamref name="TEnum"/>, spelled in lowercase on the command line and in
    /// help (<c>--granularity op|layer</c>); read it with <see cref="ChoiceOf"/>.
    /// </summary>
    public static Option<string> Choice<TEnum>(string name, TEnum defaultValue, string description) where TEnum : struct, Enum
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => Lowercase(defaultValue) };
        option.AcceptOnlyFromAmong([.. Enum.GetValues<TEnum>().Select(Lowercase)]);
        return option;
    }

    public static TEnum ChoiceOf<TEnum>(ParseResult parse, Option<string> option) where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().First(v => Lowercase(v) == parse.GetValue(option));

    private static string Lowercase<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

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
