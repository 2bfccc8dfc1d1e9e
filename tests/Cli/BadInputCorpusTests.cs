namespace HwSim.Tests.Cli;

/// <summary>
/// Every case of <see cref="BadInputCorpus"/> through the whole command line, in process: the exit code of the error
/// policy, exactly one line on standard error (an error, not an internal error), no stack trace, and no file left
/// behind in the case's directory beyond its inputs.
/// </summary>
public class BadInputCorpusTests : TemporaryDirectory
{
    public static TheoryData<string> Cases() => [.. BadInputCorpus.All.Select(c => c.Name)];

    [Fact]
    public void TheCorpusCoversEveryInputKind()
    {
        Assert.True(BadInputCorpus.All.Count >= 150, $"{BadInputCorpus.All.Count} cases");
        Assert.Equal(BadInputCorpus.All.Count, BadInputCorpus.All.Select(c => c.Name).Distinct().Count());
        string[] kinds = ["arch:", "plan:", "scalesim: cfg", "scalesim: topology", "config.json:", "tensor: safetensors", "tensor: npy", "cost csv:", "importance csv:", "option:"];
        foreach (string kind in kinds) Assert.True(BadInputCorpus.All.Count(c => c.Name.StartsWith(kind, StringComparison.Ordinal)) >= 8, kind);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsOneLineWithTheRightExitCodeAndLeavesNothingBehind(string name)
    {
        var input = BadInputCorpus.Named(name);
        foreach (var (file, bytes) in input.Files) File.WriteAllBytes(Path.Combine(TempPath, file), bytes);
        var before = Entries();

        var (exitCode, _, error) = CliRunner.Run([.. input.Args.Select(a => a.Replace(BadInput.Dir, TempPath, StringComparison.Ordinal))]);

        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{error}");
        Assert.StartsWith("hwsim: error: ", lines[0]);
        Assert.DoesNotContain("   at ", error);
        Assert.True(input.ExitCode == exitCode, $"exit {exitCode}, expected {input.ExitCode}: {error}");
        Assert.Equal(before, Entries());
    }
}
