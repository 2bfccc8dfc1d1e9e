using HwSim.Cli;

namespace HwSim.Tests.Cli;

internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = HwSimCli.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
