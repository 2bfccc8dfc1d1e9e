using Spectre.Console;

namespace HwSim.Cli;

/// <summary>Where commands write: a Spectre console for tables on standard output, and one-line errors.</summary>
public sealed class CliConsole
{
    private readonly TextWriter error;

    public CliConsole(TextWriter output, TextWriter error)
    {
        this.error = error;
        bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        Out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Piped or captured output has no width to fit: render every table at its natural width, so that no number or
        // name is wrapped or cut (a terminal keeps its own width).
        if (!interactive) Out.Profile.Width = UnboundedWidth;
    }

    /// <summary>The width tables may take when standard output is not a terminal: wider than any table HwSim prints.</summary>
    public const int UnboundedWidth = 100_000;

    public IAnsiConsole Out { get; }

    /// <summary>Standard output as plain text, for JSON and CSV.</summary>
    public TextWriter Writer => Out.Profile.Out.Writer;

    /// <summary>Standard error, for progress.</summary>
    public TextWriter ErrorWriter => error;

    public void Error(string message) => error.WriteLine($"hwsim: error: {OneLine(message)}");

    /// <summary>An unexpected failure (a bug in hwsim): one line, told apart from input errors.</summary>
    public void InternalError(string message) => error.WriteLine($"hwsim: internal error: {OneLine(message)}");

    /// <summary>Longer messages quote large parts of a malformed input; the start names the file and field.</summary>
    public const int MaxMessageChars = 1000;

    private static string OneLine(string message)
    {
        string line = message.ReplaceLineEndings(" ");
        return line.Length <= MaxMessageChars ? line : line[..MaxMessageChars] + " …";
    }
}
