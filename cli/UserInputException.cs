namespace HwSim.Cli;

/// <summary>A problem with what the user asked for; reported as one line, with the given exit code.</summary>
public sealed class UserInputException(string message, int exitCode = HwSimCli.ExitUsage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
