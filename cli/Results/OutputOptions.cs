using System.CommandLine;
using Spectre.Console;

namespace HwSim.Cli.Results;

/// <summary>
/// The result options every command shares: <c>--format table|json|csv</c>, <c>--out FILE</c> (the result goes to
/// FILE, written atomically, in <c>--format</c> or, when that is not given, the format the file's extension names:
/// .json or .csv; standard output then still shows the table) and <c>--quiet</c> (no progress on standard error).
/// Commands whose <c>--out</c> names another artifact (the trace of <c>trace</c>, the plan of <c>optimize</c>, the
/// directory of <c>export</c>) take the group without <c>--out</c> and write their result to standard output.
/// </summary>
public sealed class OutputOptions
{
    private readonly bool resultFile;

    /// <param name="resultFile">Whether the group includes <c>--out</c> as the result file.</param>
    public OutputOptions(bool resultFile = true) => this.resultFile = resultFile;

    public Option<OutputFormat> Format { get; } = new("--format")
    {
        Description = "Result format: table (default), json or csv.",
        // No default factory: an absent --format reads as Table (the enum's zero), and help shows the values in lowercase.
        HelpName = "table|json|csv",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return OutputFormat.Table;
            string text = result.Tokens[^1].Value;
            switch (text)
            {
                case "table": return OutputFormat.Table;
                case "json": return OutputFormat.Json;
                case "csv": return OutputFormat.Csv;
                default:
                    result.AddError($"option '--format' expects table, json or csv, got '{text}'");
                    return OutputFormat.Table;
            }
        },
    };

    public Option<FileInfo?> Out { get; } = new("--out")
    {
        Description = "Write the result to FILE (atomically) in --format, or by the extension (.json, .csv); the table still goes to standard output.",
    };

    public Option<bool> Quiet { get; } = new("--quiet") { Description = "Do not show progress on standard error." };

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        if (resultFile) command.Options.Add(Out);
        command.Options.Add(Quiet);
    }

    /// <summary>--format as given; else, with --out, the format its extension names (.json, .csv); else a table.</summary>
    public OutputFormat FormatOf(ParseResult parse)
    {
        if (OptionRules.Given(parse, Format) || OutOf(parse) is not { } file) return parse.GetValue(Format);
        return file.Extension.ToLowerInvariant() switch
        {
            ".json" => OutputFormat.Json,
            ".csv" => OutputFormat.Csv,
            _ => OutputFormat.Table,
        };
    }

    public FileInfo? OutOf(ParseResult parse) => resultFile ? parse.GetValue(Out) : null;

    public bool QuietOf(ParseResult parse) => parse.GetValue(Quiet);

    /// <summary>Whether standard output shows the table: for --format table, and beside a JSON or CSV --out file.</summary>
    public bool ShowsTable(ParseResult parse) => FormatOf(parse) == OutputFormat.Table || OutOf(parse) is not null;

    /// <summary>
    /// Writes <paramref name="text"/> (a finished JSON or CSV document) to <c>--out</c> atomically, or to standard
    /// output when no file is given.
    /// </summary>
    public void Emit(ParseResult parse, TextWriter standardOutput, string text)
    {
        if (OutOf(parse) is { } file) AtomicFile.WriteText(file.FullName, text);
        else standardOutput.Write(text);
    }

    /// <summary>
    /// Writes a command's result: the table on standard output (<paramref name="table"/>), or the JSON or CSV
    /// document (<paramref name="document"/>, asked for one format); with --out, the file gets the result in its
    /// format and standard output the table.
    /// </summary>
    public void Write(ParseResult parse, CliConsole console, Action<IAnsiConsole> table, Func<OutputFormat, string> document)
    {
        var format = FormatOf(parse);
        if (OutOf(parse) is { } file)
        {
            AtomicFile.WriteText(file.FullName, format == OutputFormat.Table ? TableText(table) : document(format));
            if (format != OutputFormat.Table) table(console.Out);
        }
        else if (format == OutputFormat.Table) table(console.Out);
        else console.Writer.Write(document(format));
    }

    /// <summary>Tables rendered as plain text at their natural width, for a file.</summary>
    private static string TableText(Action<IAnsiConsole> table)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = CliConsole.UnboundedWidth;
        table(console);
        return text.ToString();
    }
}
