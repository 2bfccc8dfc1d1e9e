using System.Text.Json;
using HwSim.Tests.Workloads.Inference;

namespace HwSim.Tests.Cli;

public sealed class EvaluateCommandTests : TemporaryDirectory
{
    private static string Fixture(string name) => TinyCheckpoints.Path(name);

    private static double JsonPerplexity(string output)
    {
        using var document = JsonDocument.Parse(output);
        Assert.Equal("hwsim.evaluate", document.RootElement.GetProperty("schema").GetString());
        return document.RootElement.GetProperty("result").GetProperty("perplexity").GetDouble();
    }

    [Fact]
    public void TextIsTokenizedWithTheCheckpointsTokenizerJson()
    {
        // tokenizer.json (word level, BOS template) through Hugging Face's tokenizers: same perplexity as the reference's ids.
        var (code, output, error) = CliRunner.Run("evaluate", "--checkpoint", Fixture("llama-gqa"), "--text", Path.Combine(Fixture("llama-gqa"), "text.txt"),
            "--seq-len", "16", "--format", "json", "--quiet");
        Assert.True(code == 0, error);
        double expected = TinyCheckpoints.Reference("llama-gqa").GetProperty("text").GetProperty("perplexity").GetDouble();
        Assert.Equal(expected, JsonPerplexity(output), expected * 1e-6);
    }

    [Fact]
    public void NpyTokenIdsGiveTheSamePerplexityAsTextIds()
    {
        int[] tokens = TinyCheckpoints.Tokens("opt");
        string header = $"{{'descr': '<i8', 'fortran_order': False, 'shape': ({tokens.Length},), }}";
        header = header.PadRight(118) + "\n";
        byte[] npy = [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. tokens.SelectMany(t => BitConverter.GetBytes((long)t))];
        string path = Path.Combine(TempPath, "tokens.npy");
        File.WriteAllBytes(path, npy);
        var (code, output, error) = CliRunner.Run("evaluate", "--checkpoint", Fixture("opt"), "--tokens", path, "--seq-len", "16", "--format", "json");
        Assert.True(code == 0, error);
        double expected = TinyCheckpoints.Reference("opt").GetProperty("perplexity").GetDouble();
        Assert.Equal(expected, JsonPerplexity(output), expected * 1e-6);
    }

    [Fact]
    public void CsvAndTableCarryTheSameFigures()
    {
        string tokens = Path.Combine(Fixture("phi"), "tokens.txt");
        var (code, csv, _) = CliRunner.Run("evaluate", "--checkpoint", Fixture("phi"), "--tokens", tokens, "--seq-len", "16", "--dtype", "int4", "--group", "32", "--format", "csv");
        Assert.Equal(0, code);
        var lines = csv.TrimEnd().Split('\n');
        Assert.StartsWith("checkpoint,model_family,parameters,weights,activations,tokens,seq_len,windows,predicted_tokens,mean_nll,perplexity,weight_sqnr_db,hwsim_version", lines[0]);
        Assert.Contains("int4 group 32", lines[1]);
        var (_, table, _) = CliRunner.Run("evaluate", "--checkpoint", Fixture("phi"), "--tokens", tokens, "--seq-len", "16", "--dtype", "int4", "--group", "32");
        double perplexity = double.Parse(lines[1].Split(',')[10], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(perplexity.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), table);
    }

    [Fact]
    public void PlanQuantizesTheNamedOpsWithTheirPrefillDatatype()
    {
        string plan = Path.Combine(TempPath, "plan.json");
        File.WriteAllText(plan, """{"model":"phi","arch":"x","entries":[{"layer":0,"op":"fc1","weights":"int3-asym","phase":"prefill"},{"layer":0,"op":"fc1","weights":"int8","phase":"decode"}]}""");
        string tokens = Path.Combine(Fixture("phi"), "tokens.txt");
        var (code, planned, error) = CliRunner.Run("evaluate", "--checkpoint", Fixture("phi"), "--tokens", tokens, "--seq-len", "16", "--plan", plan, "--format", "json");
        Assert.True(code == 0, error);
        double reference = TinyCheckpoints.Reference("phi").GetProperty("perplexity").GetDouble();
        Assert.NotEqual(reference, JsonPerplexity(planned), reference * 1e-6);

        File.WriteAllText(plan, """{"model":"phi","arch":"x","entries":[{"layer":5,"op":"fc1","weights":"int4"}]}""");
        (code, _, error) = CliRunner.Run("evaluate", "--checkpoint", Fixture("phi"), "--tokens", tokens, "--seq-len", "16", "--plan", plan);
        Assert.Equal(2, code);
        Assert.Contains("plan.json: entries[0]: the checkpoint has no linear op layer 5 fc1", error);
    }

    [Fact]
    public void MissingTensorNamesFileAndTensor()
    {
        string directory = TinyCheckpoints.CopyTo("phi", TempPath);
        var model = HwSim.Workloads.Inference.CheckpointModel.Open(directory);
        var tensors = model.ExpectedTensors().Where(t => t.Name != "model.layers.1.mlp.fc2.bias")
            .ToDictionary(t => t.Name, t => (t.Shape, model.Weights.Read(t.Name, t.Shape)));
        TinyCheckpoints.WriteF32(Path.Combine(directory, "model.safetensors"), tensors);
        AssertOneLineError(directory, "model.safetensors: no tensor 'model.layers.1.mlp.fc2.bias'");
    }

    [Fact]
    public void WrongShapeNamesFileAndTensor()
    {
        string directory = TinyCheckpoints.CopyTo("phi", TempPath);
        var model = HwSim.Workloads.Inference.CheckpointModel.Open(directory);
        var tensors = model.ExpectedTensors().ToDictionary(t => t.Name, t => (t.Shape, model.Weights.Read(t.Name, t.Shape)));
        tensors["model.layers.0.self_attn.dense.weight"] = ([32, 128], new float[32 * 128]);
        TinyCheckpoints.WriteF32(Path.Combine(directory, "model.safetensors"), tensors);
        AssertOneLineError(directory, "model.safetensors: tensor 'model.layers.0.self_attn.dense.weight' has shape [32, 128], the config needs [64, 64]");
    }

    [Fact]
    public void ShardMissingATensorItsIndexPromisesNamesBoth()
    {
        string directory = TinyCheckpoints.CopyTo("llama-gqa", TempPath);
        string index = Path.Combine(directory, "model.safetensors.index.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(index))!;
        var map = json["weight_map"]!;
        string shard = map["model.norm.weight"]!.GetValue<string>();
        map["model.norm.weight"] = shard.StartsWith("model-00001", StringComparison.Ordinal) ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
        File.WriteAllText(index, json.ToJsonString());
        var (code, _, error) = CliRunner.Run("evaluate", "--checkpoint", directory, "--tokens", Path.Combine(directory, "tokens.txt"), "--seq-len", "16");
        Assert.Equal(2, code);
        Assert.Matches(@"^hwsim: error: model-0000\d-of-00002\.safetensors: no tensor 'model\.norm\.weight', which model\.safetensors\.index\.json places there\n$", error);
    }

    [Fact]
    public void UnknownArchitectureNamesTheConfigField()
    {
        string directory = TinyCheckpoints.CopyTo("opt", TempPath);
        string config = Path.Combine(directory, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"model_type\": \"opt\"", "\"model_type\": \"gpt2\""));
        AssertOneLineError(directory, "config.json: model_type 'gpt2' is not supported");
    }

    [Fact]
    public void OptionsAreChecked()
    {
        string tokens = Path.Combine(Fixture("opt"), "tokens.txt");
        Assert.Contains("give exactly one of --text and --tokens", CliRunner.Run("evaluate", "--checkpoint", Fixture("opt")).Error);
        Assert.Contains("give at most one of --dtype and --plan", CliRunner.Run("evaluate", "--checkpoint", Fixture("opt"), "--tokens", tokens, "--dtype", "int4", "--plan", tokens).Error);
        Assert.Contains("option '--dtype': datatype 'int99'", CliRunner.Run("evaluate", "--checkpoint", Fixture("opt"), "--tokens", tokens, "--seq-len", "16", "--dtype", "int99").Error);
        Assert.Contains("53 tokens do not fill one window of --seq-len 2048", CliRunner.Run("evaluate", "--checkpoint", Fixture("opt"), "--tokens", tokens).Error);
        Assert.Contains("'--activations': 'fp8' is not fp32, bf16 or fp16", CliRunner.Run("evaluate", "--checkpoint", Fixture("opt"), "--tokens", tokens, "--activations", "fp8").Error);
    }

    private static void AssertOneLineError(string directory, string expected)
    {
        var (code, output, error) = CliRunner.Run("evaluate", "--checkpoint", directory, "--tokens", Path.Combine(directory, "tokens.txt"), "--seq-len", "16");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("hwsim: error: ", error);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}

public sealed class OptimizeLossMetricOptionTests
{
    [Fact]
    public void LossMetricNeedsACheckpointDirectoryAndCalibrationTokens()
    {
        string phi = TinyCheckpoints.Path("phi");
        string[] small = ["optimize", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--arch", "bitmod", "--candidates", "int4,int8"];
        Assert.Contains("--metric loss needs --weights-file DIR", CliRunner.Run([.. small, "--metric", "loss"]).Error);
        Assert.Contains("--metric loss needs --calibration FILE", CliRunner.Run([.. small, "--metric", "loss", "--weights-file", phi]).Error);
        Assert.Contains("option '--calibration' applies to --metric loss only", CliRunner.Run([.. small, "--calibration", Path.Combine(phi, "tokens.txt")]).Error);
    }
}
