using System.Diagnostics;

namespace HwSim.VerilogExport.Tools;

/// <summary>What one external tool run printed and whether it succeeded.</summary>
public sealed record ToolRun(string Command, int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs Verilator, Icarus Verilog and the C compiler as child processes in a working directory.</summary>
public static class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static bool IsInstalled(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    /// <summary>Runs <paramref name="program"/>; a missing program is a clear error, not an exception trace.</summary>
    public static ToolRun Run(string workingDirectory, string program, params string[] arguments)
    {
        string command = $"{program} {string.Join(' ', arguments)}";
        if (!IsInstalled(program))
            throw new InvalidOperationException($"{program} is not installed (Debian: apt-get install {PackageOf(program)})");
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            return new ToolRun(command, -1, $"{program} did not finish within {Timeout.TotalMinutes} minutes");
        }
        return new ToolRun(command, process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }

    private static string PackageOf(string program) => program switch
    {
        "iverilog" or "vvp" => "iverilog",
        "verilator" => "verilator",
        _ => "gcc",
    };
}
