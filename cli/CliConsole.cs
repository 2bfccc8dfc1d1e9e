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
        if (!interactive) Out.Profile.Width = 120;
    }

    public IAnsiConsole Out { get; }

    public void Error(string message) => error.WriteLine($"hwsim: error: {message.ReplaceLineEndings(" ")}");

    /// <summary>An unexpected failure (a bug in hwsim): one line, told apart from input errors.</summary>
    public void InternalError(string message) => error.WriteLine($"hwsim: internal error: {message.ReplaceLineEndings(" ")}");
}
