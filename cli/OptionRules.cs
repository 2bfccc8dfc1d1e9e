using System.CommandLine;

namespace HwSim.Cli;

/// <summary>Options that do not apply are errors naming them, never silently ignored.</summary>
public static class OptionRules
{
    /// <summary>Whether <paramref name="option"/> was typed on the command line (not just defaulted).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Rejects each of <paramref name="options"/> that was given, saying it does not apply <paramref name="where"/>.</summary>
    public static void Reject(ParseResult parse, string where, params Option?[] options)
    {
        foreach (var option in options)
            if (option is not null && Given(parse, option))
                throw new UserInputException($"option '{option.Name}' does not apply {where}");
    }
}
