namespace HwSim.Tests.Cli;

public class SimulateCommandTests : TemporaryDirectory
{
    [Fact]
    public void SimulatesAModelOnAPreset()
    {
        var (exitCode, output, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--arch", "bitmod-gen", "--prompt", "64", "--generate", "4");
        Assert.True(exitCode == 0, error);
        Assert.Contains("prefill cycles (ms)", output);
        Assert.Contains("decode tokens/s", output);
        Assert.Contains("slowest ops", output);
    }

    [Fact]
    public void FullEventsPrintsTheSameReport()
    {
        string[] run = ["simulate", "--model", "phi-2", "--arch", "int8-systolic", "--prompt", "32", "--generate", "4"];
        var skipped = CliRunner.Run(run);
        var full = CliRunner.Run([.. run, "--full-events"]);
        Assert.True(skipped.ExitCode == 0 && full.ExitCode == 0, skipped.Error + full.Error);
        Assert.Contains("kernel events", full.Output);
        Assert.Equal(full.Output, skipped.Output);
    }

    [Fact]
    public void ComparesDesignsWithThePapersRatios()
    {
        var (exitCode, output, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "32", "--generate", "2",
            "--compare", "fp16-baseline,ant,olive,bitmod");
        Assert.True(exitCode == 0, error);
        Assert.Contains("1.69x", output);
        Assert.Contains("1.48x", output);
        Assert.Contains("1.00x", output);
    }

    [Theory]
    [InlineData("ws", 32, 128, 256, 256, "14207")]
    [InlineData("os", 32, 128, 256, 256, "10175")]
    [InlineData("is", 32, 128, 256, 256, "11199")]
    [InlineData("ws", 128, 512, 4096, 4096, "915455")]
    public void ReproducesScaleSimComputeReports(string dataflow, int size, int m, int n, int k, string total)
    {
        string cfg = Path.Combine(TempPath, "scale.cfg"), topology = Path.Combine(TempPath, "gemm.csv"), report = Path.Combine(TempPath, "COMPUTE_REPORT.csv");
        File.WriteAllText(cfg, $"[general]\nrun_name = test\n\n[architecture_presets]\nArrayHeight:    {size}\nArrayWidth:     {size}\n" +
            $"IfmapSramSzkB:    6144\nFilterSramSzkB:   6144\nOfmapSramSzkB:    2048\nIfmapOffset:    0\nFilterOffset:   10000000\n" +
            $"OfmapOffset:    20000000\nBandwidth : 10\nDataflow : {dataflow}\nMemoryBanks:   1\n\n[run_presets]\nInterfaceBandwidth: CALC\n");
        File.WriteAllText(topology, $"Layer,M,N,K,\ngemm1,{m},{n},{k},\n");
        var (exitCode, _, error) = CliRunner.Run("simulate", "--scalesim-config", cfg, "--topology", topology, "--out", report);
        Assert.True(exitCode == 0, error);
        var row = File.ReadAllLines(report)[1].Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(["gemm1", total, "0"], row[..3]);
        Assert.Equal("100.0000", row[4]);
    }

    [Theory]
    [InlineData("--arch", "nonesuch", "--arch: 'nonesuch' is neither a preset")]
    [InlineData("--weights", "ovp4", "weights: 'ovp4' is not a weight type bitmod's PE supports")]
    [InlineData("--model", "gpt-5", "gpt-5")]
    public void BadInputIsOneLineAndExitCodeTwo(string option, string value, string expected)
    {
        var (exitCode, _, error) = CliRunner.Run("simulate", option, value, "--prompt", "8", "--generate", "1");
        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void AcceleratorFileErrorsNameTheField()
    {
        string path = Path.Combine(TempPath, "mine.json");
        File.WriteAllText(path, HwSim.Arch.Spec.AcceleratorSpecJson.Write(HwSim.Arch.Spec.Presets.Find("ant")!).Replace("\"capacityBytes\": 524288", "\"capacityBytes\": 0"));
        var (exitCode, _, error) = CliRunner.Run("simulate", "--arch", path, "--prompt", "8", "--generate", "1");
        Assert.Equal(2, exitCode);
        Assert.Contains("mine.json: buffers[0].capacityBytes", error);
    }

    [Fact]
    public void WritesATimelineThatParsesAsTraceEventJson()
    {
        string path = Path.Combine(TempPath, "run.json");
        string[] run = ["simulate", "--model", "opt-1.3b", "--prompt", "8", "--generate", "2", "--quiet"];
        var traced = CliRunner.Run([.. run, "--trace", path, "--trace-steps", "1"]);
        var plain = CliRunner.Run(run);
        Assert.True(traced.ExitCode == 0, traced.Error);
        Assert.Equal(plain.Output, traced.Output);
        Assert.Equal("", traced.Error);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
        var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("cat").GetString() == "compute");
        Assert.Empty(Directory.GetFiles(TempPath, "*.tmp"));
    }

    [Theory]
    [InlineData("--trace-window", "5:3", "END must be greater")]
    [InlineData("--trace-window", "x:3", "START:END")]
    public void BadTraceOptionsAreOneLineWithExitCodeTwo(string option, string value, string expected)
    {
        string path = Path.Combine(TempPath, "run.json");
        var (exitCode, _, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--trace", path, option, value);
        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(path));
        var (withoutTrace, _, message) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", option, "1:3");
        Assert.Equal(2, withoutTrace);
        Assert.Contains("needs '--trace'", message);
    }
}
