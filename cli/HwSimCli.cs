using System.CommandLine;
using HwSim.Cli.Commands;
using HwSim.Workloads.Models;

namespace HwSim.Cli;

/// <summary>
/// Entry point of the `hwsim` tool. Exit codes: 0 success, 1 failure while running, 2 invalid command line or
/// input, 3 an infeasible request (used by later commands). Every error is one line on standard error.
/// </summary>
public static class HwSimCli
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("HwSim: cycle-accurate simulation of accelerators for quantized LLMs.");
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
        root.Subcommands.Add(EvaluateCommand.Create(console));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            console.Error(parse.Errors[0].Message);
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
        catch (UserInputException e)
        {
            console.Error(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is InvalidModelConfigException or InvalidDataException or FormatException)
        {
            console.Error(e.Message);
            return ExitUsage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error(e.Message);
            return ExitFailure;
        }
    }
}
