using System.Diagnostics;
using HwSim.Cli;

namespace HwSim.Tests.Cli;

/// <summary>
/// A real hwsim process interrupted while it writes an output: SIGINT and SIGTERM remove the temporary file, leave
/// no partial output, and exit with 128 + the signal number.
/// </summary>
public class InterruptTests : TemporaryDirectory
{
    [Theory]
    [InlineData("INT", HwSimCli.ExitInterrupted)]
    [InlineData("TERM", HwSimCli.ExitTerminated)]
    public void ASignalDuringAWriteRemovesTheTemporaryFile(string signal, int exitCode)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        string output = Path.Combine(TempPath, "run.json");
        string hwsim = Path.Combine(AppContext.BaseDirectory, "hwsim.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A demo long enough to be still writing its trace when the signal arrives.
        foreach (string arg in (string[])[hwsim, "demo", "--items", "1000000000", "--trace", output]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (Temporaries().Length == 0 && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(50);
            if (process.HasExited) Assert.Fail($"hwsim exited early: {process.StandardError.ReadToEnd()}");
            Assert.True(Temporaries().Length == 1, $"no temporary file after 120 s: {string.Join(", ", Entries())}");

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "the process did not stop");
            Assert.Equal(exitCode, process.ExitCode);
            Assert.Empty(Entries());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    private string[] Temporaries() => [.. Entries().Where(p => p.EndsWith(".tmp", StringComparison.Ordinal))];
}
