using System.Diagnostics;

namespace HwSim.Tests.Cli.Sweep;

/// <summary>Paths and processes the sweep tests share: the repository's example studies and the built hwsim.</summary>
internal static class SweepFixtures
{
    /// <summary>The repository root (the folder holding HwSim.sln), found upward from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "HwSim.sln"))) return dir.FullName;
            throw new InvalidOperationException("HwSim.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Study(string name) => Path.Combine(RepositoryRoot, "examples", "studies", name);

    /// <summary>A small study (8 points, OPT-1.3B with a short prompt) for tests that start processes.</summary>
    public const string SmallStudy = """
        name: small
        designs: [ant, bitmod]
        workload: {model: opt-1.3b, batch: 1, prompt: 8, generate: 2}
        axes:
          array.rows: [16, 32]
          weights: [int4, int8]
        """;

    /// <summary>Starts the built hwsim (dotnet hwsim.dll, copied beside the tests) as its own process.</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hwsim.dll"));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return Process.Start(start)!;
    }

    /// <summary>Runs hwsim to the end within <paramref name="timeout"/>; returns exit code and output.</summary>
    public static (int Exit, string Output, string Error) Run(IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hwsim {string.Join(' ', arguments)} did not finish in {timeout}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
