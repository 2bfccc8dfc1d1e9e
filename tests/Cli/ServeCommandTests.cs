using System.Text.Json;
using HwSim.Arch.Memory;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Cli;

public class ServeCommandTests : TemporaryDirectory
{
    private string SpecWithCapacity(long? capacity, string dram = "simple")
    {
        var spec = Presets.Find("bitmod")!;
        DramSpec memory = dram == "simple" ? spec.Dram : BankedDramSpec.Hbm2();
        string path = Path.Combine(TempPath, $"design-{dram}.json");
        File.WriteAllText(path, AcceleratorSpecJson.Write(spec with { Dram = memory with { CapacityBytes = capacity } }));
        return path;
    }

    [Fact]
    public void JsonResultFollowsTheEnvelopeAndCountsEveryRequest()
    {
        string trace = Path.Combine(TempPath, "serve.json");
        var (code, output, error) = CliRunner.Run("serve", "--model", "opt-1.3b", "--dram-capacity", "8GiB", "--rate", "2", "--requests", "5",
            "--prompt", "uniform:32:64", "--output", "4", "--format", "json", "--quiet", "--trace", trace);
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("hwsim.serve", doc.RootElement.GetProperty("schema").GetString());
        var result = doc.RootElement.GetProperty("result");
        Assert.Equal(5, result.GetProperty("completed").GetInt64());
        Assert.True(result.GetProperty("ttftMs").GetProperty("p99Ms").GetDouble() > 0);
        Assert.Equal(8L << 30, result.GetProperty("memory").GetProperty("dramBytes").GetInt64());
        using var traceDoc = JsonDocument.Parse(File.ReadAllText(trace));
        Assert.True(traceDoc.RootElement.GetProperty("traceEvents").GetArrayLength() > 5);
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("banked")]
    public void CapacityComesFromTheDesignWithEitherDramModel(string dram)
    {
        var (code, output, error) = CliRunner.Run("serve", "--arch", SpecWithCapacity(6L << 30, dram), "--model", "opt-1.3b", "--requests", "2",
            "--prompt", "16", "--output", "2", "--format", "csv", "--quiet");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("id,arrival_s,prompt_tokens,output_tokens,ttft_ms", lines[0]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void ADesignWithoutCapacityNeedsTheOption()
    {
        var (code, _, error) = CliRunner.Run("serve", "--requests", "2");
        Assert.Equal(2, code);
        Assert.Contains("dram.capacityBytes", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1e7", "10000000")]
    [InlineData("NaN", "NaN")]
    public void ADurationPastTheSimulatedClocksRangeIsRejected(string seconds, string shown)
    {
        // Arrivals are picoseconds in 64 bits (at most 9.2·10⁶ s); 10⁶ s is the last one accepted.
        var (code, _, error) = CliRunner.Run("serve", "--dram-capacity", "16GiB", "--duration", seconds);
        Assert.Equal(2, code);
        Assert.Equal($"hwsim: error: option '--duration' must be a number of seconds above 0 and at most 1e6 (got {shown})", error.Trim());
    }

    [Fact]
    public void CapacityBelowTheWeightsIsInfeasible()
    {
        var (code, _, error) = CliRunner.Run("serve", "--dram-capacity", "1GB", "--requests", "2");
        Assert.Equal(3, code);
        Assert.Contains("leave no room for the KV cache", error);
    }

    [Fact]
    public void ANegativeCapacityInTheDesignIsRejected()
    {
        var (code, _, error) = CliRunner.Run("serve", "--arch", SpecWithCapacity(-5), "--requests", "2");
        Assert.Equal(2, code);
        Assert.Contains("dram.capacityBytes: must be at least 1 byte", error);
    }

    [Fact]
    public void CsvRequestErrorsNameFileAndLine()
    {
        string csv = Path.Combine(TempPath, "reqs.csv");
        File.WriteAllText(csv, "arrival_s,prompt_tokens,output_tokens\n0,10,2\n0.1,ten,2\n");
        var (code, _, error) = CliRunner.Run("serve", "--dram-capacity", "16GiB", "--requests-csv", csv);
        Assert.Equal(2, code);
        Assert.Contains("reqs.csv:3: prompt_tokens", error);
    }

    [Theory]
    [InlineData("--scheduler", "fifo", "unknown 'fifo'")]
    [InlineData("--kv-policy", "swap", "unknown 'swap'")]
    [InlineData("--prompt", "uniform:5", "uniform:A:B")]
    [InlineData("--iteration-model", "fancy", "unknown 'fancy'")]
    [InlineData("--dram-capacity", "lots", "not a byte count")]
    public void BadOptionsAreOneLine(string option, string value, string message)
    {
        string capacity = option == "--dram-capacity" ? value : "16GiB";
        var (code, _, error) = option == "--dram-capacity"
            ? CliRunner.Run("serve", "--dram-capacity", capacity, "--requests", "2")
            : CliRunner.Run("serve", "--dram-capacity", capacity, "--requests", "2", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("--iteration-model", "exact", "--grid-tokens", "4", "'--grid-tokens' does not apply to --iteration-model exact")]
    [InlineData("--scheduler", "static", "--chunked-prefill", "true", "do not apply to --scheduler static")]
    [InlineData("--requests-csv", "reqs.csv", "--rate", "3", "'--rate' does not apply with --requests-csv")]
    public void OptionsThatDoNotApplyAreRejected(string option, string value, string other, string otherValue, string message)
    {
        File.WriteAllText(Path.Combine(TempPath, "reqs.csv"), "arrival_s,prompt_tokens,output_tokens\n0,10,2\n");
        if (value == "reqs.csv") value = Path.Combine(TempPath, value);
        var (code, _, error) = CliRunner.Run("serve", "--dram-capacity", "16GiB", option, value, other, otherValue);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }
}
