using System.CommandLine;

namespace HwSim.Cli.Results;

/// <summary>
/// The result options every command shares: <c>--format table|json|csv</c>, <c>--out FILE</c> (the result goes to
/// the file, written atomically, instead of standard output) and <c>--quiet</c> (no progress on standard error).
/// </summary>
public sealed class OutputOptions
{
    public Option<OutputFormat> Format { get; } = new("--format")
    {
        Description = "Result format: table (default), json or csv.",
        DefaultValueFactory = _ => OutputFormat.Table,
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

    public Option<FileInfo?> Out { get; } = new("--out") { Description = "Write the result to FILE (atomically) instead of standard output." };

    public Option<bool> Quiet { get; } = new("--quiet") { Description = "Do not show progress on standard error." };

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Out);
        command.Options.Add(Quiet);
    }

    public OutputFormat FormatOf(ParseResult parse) => parse.GetValue(Format);

    public FileInfo? OutOf(ParseResult parse) => parse.GetValue(Out);

    public bool QuietOf(ParseResult parse) => parse.GetValue(Quiet);

    /// <summary>
    /// Writes <paramref name="text"/> (a finished JSON or CSV document) to <c>--out</c> atomically, or to standard
    /// output when no file is given.
    /// </summary>
    public void Emit(ParseResult parse, TextWriter standardOutput, string text)
    {
        if (OutOf(parse) is { } file) AtomicFile.WriteText(file.FullName, text);
        else standardOutput.Write(text);
    }
}
