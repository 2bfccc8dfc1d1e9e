using System.CommandLine;
using HwSim.Cli.Commands;
using HwSim.Workloads.Models;

namespace HwSim.Cli;

/// <summary>
/// Entry point of the `hwsim` tool. One error policy (README, "Exit codes and errors"): 0 success, 1 failure while
/// running, 2 invalid command line or input (missing input files included), 3 an infeasible request, 70 an internal
/// error. Every error is one line on standard error; a stack trace is printed only with <c>--debug</c>.
/// </summary>
public static class HwSimCli
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;
    public const int ExitInfeasible = 3;

    /// <summary>EX_SOFTWARE of BSD sysexits.h: an internal software error (a bug in hwsim, not in the input).</summary>
    public const int ExitInternal = 70;

    /// <summary>Shell convention 128 + signal number: SIGINT (2) and SIGTERM (15).</summary>
    public const int ExitInterrupted = 130, ExitTerminated = 143;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("HwSim: cycle-accurate simulation of accelerators for quantized LLMs.");
        var debug = new Option<bool>("--debug") { Description = "Print the stack trace of an internal error.", Recursive = true };
        root.Options.Add(debug);
        root.Subcommands.Add(VersionCommand.Create(console));
        root.Subcommands.Add(SimulateCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(ArchCommand.Create(console));
        root.Subcommands.Add(TraceCommand.Create(console));
        root.Subcommands.Add(QuantizeCommand.Create(console));
        root.Subcommands.Add(DatatypesCommand.Create(console));
        root.Subcommands.Add(ExportCommand.Create(console));
        root.Subcommands.Add(CostCommand.Create(console));
        root.Subcommands.Add(OptimizeCommand.Create(console));
        root.Subcommands.Add(SweepCommand.Create(console));
        root.Subcommands.Add(ServeCommand.Create(console));
        root.Subcommands.Add(EvaluateCommand.Create(console));

        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (Exception e)
        {
            return Internal(console, error, e, args.Contains("--debug"));
        }
        if (parse.Errors.Count > 0)
        {
            console.Error(ParseErrorText(root, parse));
            return ExitUsage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            return Report(e, console, error, parse.GetValue(debug));
        }
    }

    /// <summary>
    /// Reports <paramref name="e"/> under the error policy and returns its exit code: an input or run error as one
    /// line, anything else as one internal-error line, followed by the stack trace only when <paramref name="debug"/>.
    /// </summary>
    public static int Report(Exception e, CliConsole console, TextWriter error, bool debug)
    {
        if (ExitCodeOf(e) is not { } exitCode) return Internal(console, error, e, debug);
        console.Error(e.Message);
        return exitCode;
    }

    /// <summary>The exit code of an exception that is a one-line report about the input or the run, or null for a bug.</summary>
    private static int? ExitCodeOf(Exception e) => e switch
    {
        UserInputException user => user.ExitCode,
        InvalidModelConfigException or InvalidDataException or FormatException => ExitUsage,
        FileNotFoundException or DirectoryNotFoundException => ExitUsage,
        IOException or UnauthorizedAccessException => ExitFailure,
        _ => null,
    };

    private static int Internal(CliConsole console, TextWriter error, Exception e, bool debug)
    {
        console.InternalError($"{e.GetType().Name}: {e.Message}");
        if (debug) error.WriteLine(e.ToString());
        return ExitInternal;
    }

    /// <summary>The first parse error, with an unknown or missing command said in the tool's terms.</summary>
    private static string ParseErrorText(RootCommand root, ParseResult parse)
    {
        if (parse.CommandResult.Command == root)
        {
            string commands = string.Join(", ", root.Subcommands.Select(c => c.Name));
            if (parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is { } unknown)
                return $"unknown command '{unknown}' (expected one of {commands})";
            if (!parse.Tokens.Any(t => t.Type == System.CommandLine.Parsing.TokenType.Command))
                return $"no command given (expected one of {commands}; hwsim --help describes them)";
        }
        return parse.Errors[0].Message;
    }
}
