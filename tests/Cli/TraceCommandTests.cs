using HwSim.Workloads.Formats;

namespace HwSim.Tests.Cli;

public class TraceCommandTests : TemporaryDirectory
{
    [Fact]
    public void TracesAModelPrintsTheSummaryAndWritesAReadableTrace()
    {
        string path = Path.Combine(TempPath, "trace.jsonl");
        var (exitCode, output, error) = CliRunner.Run("trace", "--model", "llama-2-7b", "--prompt", "64", "--generate", "4", "--out", path);
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("6,738,415,616", output);
        Assert.Contains("64..67", output);
        using var reader = new StreamReader(path);
        var workload = TraceJsonl.Read(reader);
        Assert.Equal((1, 64, 4), (workload.Batch, workload.Prompt, workload.Generate));
    }

    [Fact]
    public void TracesAHuggingFaceConfigFile()
    {
        string config = Path.Combine(TempPath, "config.json");
        File.WriteAllText(config, """
            {"model_type":"mistral","hidden_size":4096,"intermediate_size":14336,"num_attention_heads":32,
             "num_key_value_heads":8,"num_hidden_layers":32,"vocab_size":32000,"tie_word_embeddings":false}
            """);
        var (exitCode, output, _) = CliRunner.Run("trace", "--config", config, "--prompt", "16", "--generate", "0");
        Assert.Equal(0, exitCode);
        Assert.Contains("7,241,732,096", output);
    }

    [Fact]
    public void ImportsATopologyAndExportsItsGemms()
    {
        string topology = Path.Combine(TempPath, "gemm.csv"), exported = Path.Combine(TempPath, "out.csv");
        File.WriteAllText(topology, "Layer,M,N,K,\nfc1,128,256,256,\n");
        var (exitCode, _, _) = CliRunner.Run("trace", "--topology", topology, "--gemm-csv", exported);
        Assert.Equal(0, exitCode);
        Assert.Equal("Layer,M,N,K,\nfc1,128,256,256,\n", File.ReadAllText(exported));
    }

    [Theory]
    [InlineData("--model", "gpt-9", "unknown model 'gpt-9'")]
    [InlineData("--weights", "int99", "--weights")]
    [InlineData("--prompt", "0", "--prompt")]
    [InlineData("--batch", "x", "--batch")]
    public void BadInputIsOneLineWithExitCodeTwo(string option, string value, string expected)
    {
        var (exitCode, output, error) = CliRunner.Run("trace", option, value);
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains(expected, Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void MalformedConfigAndTopologyFilesAreOneLineErrors()
    {
        string config = Path.Combine(TempPath, "config.json"), topology = Path.Combine(TempPath, "t.csv");
        File.WriteAllText(config, """{"model_type":"llama","hidden_size":-1}""");
        File.WriteAllText(topology, "Layer,M,N,K,\nfc1,128,oops,256,\n");
        var configRun = CliRunner.Run("trace", "--config", config);
        var topologyRun = CliRunner.Run("trace", "--topology", topology, "--out", Path.Combine(TempPath, "never.jsonl"));
        Assert.Equal(2, configRun.ExitCode);
        Assert.Contains("'hidden_size' must be positive", configRun.Error);
        Assert.Equal(2, topologyRun.ExitCode);
        Assert.Contains("line 2, column 'N'", topologyRun.Error);
        Assert.False(File.Exists(Path.Combine(TempPath, "never.jsonl")));
    }

    [Fact]
    public void TwoBillionDecodeStepsSummarizeAtOnce()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (exitCode, output, error) = CliRunner.Run("trace", "--model", "llama-2-7b", "--generate", "2000000000");
        Assert.True(exitCode == 0, error);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"{started.Elapsed}");
        Assert.Contains("2,000,000,000 (2048..2000002047)", output);
    }
}
