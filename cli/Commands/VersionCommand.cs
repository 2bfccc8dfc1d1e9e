using System.CommandLine;
using System.Reflection;
using Spectre.Console;

namespace HwSim.Cli.Commands;

public static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "unknown";

    public static Command Create(CliConsole console)
    {
        var command = new Command("version", "Print the HwSim version.");
        command.SetAction(_ =>
        {
            console.Out.WriteLine($"hwsim {Version} (.NET {Environment.Version})");
            return HwSimCli.ExitOk;
        });
        return command;
    }
}
