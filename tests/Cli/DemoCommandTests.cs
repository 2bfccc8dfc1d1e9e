using System.Text.Json;

namespace HwSim.Tests.Cli;

public class DemoCommandTests : TemporaryDirectory
{
    [Theory]
    [InlineData("--cycles", "-5")]
    [InlineData("--cycles", "abc")]
    [InlineData("--items", "0")]
    [InlineData("--fifo-depth", "-1")]
    [InlineData("--clock-mhz", "0")]
    public void InvalidOptionGivesOneLineErrorNamingItAndExitCodeTwo(string option, string value)
    {
        var (exitCode, output, error) = CliRunner.Run("demo", option, value);
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(option, line);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void UnknownOptionIsRejected()
    {
        var (exitCode, _, error) = CliRunner.Run("demo", "--bogus");
        Assert.Equal(2, exitCode);
        Assert.Contains("--bogus", error);
    }

    [Fact]
    public void DefaultRunPrintsCyclesStallsAndThroughput()
    {
        var (exitCode, output, error) = CliRunner.Run("demo");
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("total cycles", output);
        Assert.Contains("3,002", output); // P + N·C = 2 + 1000·3
        Assert.Contains("2,000 / 987", output); // producer busy / stall = N·P / (P + (N-d-1)·C − N·P)
        Assert.Contains("throughput", output);
    }

    [Fact]
    public void HelpAndVersionSucceed()
    {
        Assert.Equal(0, CliRunner.Run("--help").ExitCode);
        var (exitCode, output, _) = CliRunner.Run("version");
        Assert.Equal(0, exitCode);
        Assert.StartsWith("hwsim ", output);
    }

    [Fact]
    public void SameInputsGiveByteIdenticalOutputsAndTraces()
    {
        string first = Path.Combine(TempPath, "a.json"), second = Path.Combine(TempPath, "b.json");
        string[] args = ["demo", "--items", "300", "--producer-cycles", "3", "--consumer-cycles", "4", "--clock-mhz", "700"];
        var runA = CliRunner.Run([.. args, "--trace", first]);
        var runB = CliRunner.Run([.. args, "--trace", second]);
        Assert.Equal(0, runA.ExitCode);
        Assert.Equal(runA.Output, runB.Output);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void TraceIsValidChromeTraceJsonWithTheDocumentedFields()
    {
        string path = Path.Combine(TempPath, "trace.json");
        Assert.Equal(0, CliRunner.Run("demo", "--items", "50", "--trace", path).ExitCode);

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        Assert.Equal("ns", root.GetProperty("displayTimeUnit").GetString());
        var events = root.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            var phase = e.GetProperty("ph").GetString();
            Assert.Contains(phase, new[] { "X", "M", "i" });
            Assert.False(string.IsNullOrEmpty(e.GetProperty("name").GetString()));
            Assert.True(e.GetProperty("ts").GetDecimal() >= 0);
            Assert.Equal(1, e.GetProperty("pid").GetInt32());
            Assert.True(e.GetProperty("tid").GetInt32() >= 1);
            if (phase == "X")
            {
                Assert.True(e.GetProperty("dur").GetDecimal() > 0);
                Assert.Equal("activity", e.GetProperty("cat").GetString());
            }
        }
        var trackNames = events.Where(e => e.GetProperty("ph").GetString() == "M")
            .Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToList();
        Assert.Equal(["fifo", "producer", "consumer"], trackNames);
        // Consumer busy intervals sum to N·C cycles at 1 GHz: 50 · 3 ns = 0.15 µs.
        decimal consumerBusy = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt32() == 3
                && e.GetProperty("name").GetString() == "busy")
            .Sum(e => e.GetProperty("dur").GetDecimal());
        Assert.Equal(0.15m, consumerBusy);
    }

    [Fact]
    public void FailedRunLeavesNoOutputFile()
    {
        string path = Path.Combine(TempPath, "missing", "trace.json");
        var (exitCode, _, error) = CliRunner.Run("demo", "--trace", path);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("does not exist", error);
        Assert.Empty(Directory.GetFiles(TempPath, "*", SearchOption.AllDirectories));
    }
}
