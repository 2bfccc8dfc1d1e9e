using System.CommandLine;
using System.Reflection;
using HwSim.Cli.Results;
using Spectre.Console;

namespace HwSim.Cli.Commands;

public static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "unknown";

    public static Command Create(CliConsole console)
    {
        var outputOptions = new OutputOptions();
        var command = new Command("version", "Print the HwSim version.");
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            outputOptions.Write(parse, console, table => table.WriteLine($"hwsim {Version} (.NET {Environment.Version})"), format =>
            {
                var provenance = Provenance.Of(new ProvenanceInputs());
                var result = new { Version, Commit = Provenance.ToolCommit, Dotnet = Environment.Version.ToString() };
                return format == OutputFormat.Json
                    ? ResultFile.Json("version", 1, provenance, result)
                    : ResultFile.Csv(["version", "commit", "dotnet"], [[result.Version, result.Commit, result.Dotnet]], provenance);
            });
            return HwSimCli.ExitOk;
        });
        return command;
    }
}
