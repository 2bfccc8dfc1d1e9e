using System.Runtime.InteropServices;

namespace HwSim.Cli;

/// <summary>
/// On SIGINT or SIGTERM, removes the temporary files <see cref="AtomicFile"/> is writing and exits with 128 + the
/// signal number (130, 143), so an interrupted run leaves neither a partial output nor a temporary file behind.
/// </summary>
public sealed class TerminationCleanup : IDisposable
{
    private readonly PosixSignalRegistration interrupt, terminate;

    private TerminationCleanup()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Exit(context, HwSimCli.ExitInterrupted));
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Exit(context, HwSimCli.ExitTerminated));
    }

    public static TerminationCleanup Install() => new();

    private static void Exit(PosixSignalContext context, int exitCode)
    {
        context.Cancel = true;
        AtomicFile.RemoveTemporaries();
        Environment.Exit(exitCode);
    }

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
    }
}
