using HwSim.Numerics.Registry;
using HwSim.Workloads.Inference;

namespace HwSim.Tests.Workloads.Inference;

/// <summary>
/// The CPU forward pass against an independent float64 PyTorch implementation of each architecture's published
/// equations (tests/fixtures/make_tiny_checkpoints.py): LLaMA with GQA, LLaMA-3 RoPE scaling, BF16 weights in two
/// shards; OPT (learned positions at offset 2, ReLU, tied head, F16); Phi (parallel block, partial rotary, gelu_new,
/// LM head bias, F32); Gemma-2 (1 + w RMSNorm, sandwich norms, soft caps, sliding window, scaled embeddings, F16).
/// </summary>
public class ForwardPassTests
{
    /// <summary>
    /// FP32 against float64 over two layers: logits agree to 2e-5 absolute (they are of order 1; FP32 rounding of
    /// 64-term dot products and transcendental functions leaves about 1e-6).
    /// </summary>
    public const double LogitTolerance = 2e-5;

    public static TheoryData<string> Models => new() { "llama-gqa", "opt", "phi", "gemma2" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Fp32LogitsEqualTheReferenceImplementation(string name)
    {
        var reference = TinyCheckpoints.Reference(name);
        int[] tokens = [.. reference.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];
        var model = CheckpointModel.Open(TinyCheckpoints.Path(name));
        var logits = new ForwardPass(model, new ForwardOptions()).Logits(tokens);
        int vocab = model.Shape.VocabSize, t = 0;
        double worst = 0;
        foreach (var row in reference.GetProperty("logits").EnumerateArray())
        {
            int v = 0;
            foreach (var expected in row.EnumerateArray()) worst = Math.Max(worst, Math.Abs(logits[t * vocab + v++] - expected.GetDouble()));
            t++;
        }
        Assert.Equal(tokens.Length, t);
        Assert.True(worst < LogitTolerance, $"{name}: largest logit difference {worst}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void PerplexityEqualsTheReference(string name)
    {
        var reference = TinyCheckpoints.Reference(name);
        var result = Perplexity.Evaluate(CheckpointModel.Open(TinyCheckpoints.Path(name)), TinyCheckpoints.Tokens(name),
            TinyCheckpoints.SequenceLength, null, new ForwardOptions());
        Assert.Equal(reference.GetProperty("windows").GetInt32(), result.Windows);
        Assert.Equal(3 * 15, result.PredictedTokens);
        double expected = reference.GetProperty("perplexity").GetDouble();
        Assert.True(Math.Abs(result.Perplexity / expected - 1) < 1e-6, $"{name}: {result.Perplexity} vs {expected}");
        var windows = reference.GetProperty("window_nll").EnumerateArray().Select(w => w.GetDouble()).ToArray();
        for (int i = 0; i < windows.Length; i++) Assert.Equal(windows[i], result.WindowNll[i], 5);
    }

    [Fact]
    public void MaxWindowsKeepsTheFirstWindows()
    {
        var reference = TinyCheckpoints.Reference("phi");
        var result = Perplexity.Evaluate(CheckpointModel.Open(TinyCheckpoints.Path("phi")), TinyCheckpoints.Tokens("phi"), 16, 1, new ForwardOptions());
        Assert.Equal(1, result.Windows);
        Assert.Equal(reference.GetProperty("window_nll")[0].GetDouble(), result.MeanNll, 5);
    }

    [Fact]
    public void QuantizedRunEqualsDequantizedWeightsInFp32()
    {
        // Quantize every decoder-layer linear weight with int4's storage quantizer by hand, write the dequantized
        // values as an F32 checkpoint, and evaluate that unquantized: the quantized evaluation must be identical.
        var model = CheckpointModel.Open(TinyCheckpoints.Path("phi"));
        var int4 = WeightDatatypes.Get("int4");
        var tensors = new Dictionary<string, (long[], float[])>();
        double signal = 0, error = 0;
        var linearWeights = Enumerable.Range(0, model.Shape.Layers)
            .SelectMany(l => model.Spec.LayerLinears().Select(op => (Name: model.Names.Linear(l, op.Op) + ".weight", op.Out, op.In))).ToDictionary(x => x.Name);
        foreach (var (name, shape) in model.ExpectedTensors())
        {
            var values = model.Weights.Read(name, shape);
            if (linearWeights.TryGetValue(name, out var op))
            {
                var dequantizedValues = int4.StorageQuantizer!(op.In).Quantize(new(op.Out, op.In, (float[])values.Clone())).Dequantize();
                signal += values.Sum(v => (double)v * v);
                error += values.Zip(dequantizedValues, (a, b) => ((double)a - b) * ((double)a - b)).Sum();
                values = dequantizedValues;
            }
            tensors[name] = (shape, values);
        }
        using var temp = new TempDirectory();
        File.Copy(System.IO.Path.Combine(model.Directory, "config.json"), System.IO.Path.Combine(temp.Path, "config.json"));
        TinyCheckpoints.WriteF32(System.IO.Path.Combine(temp.Path, "model.safetensors"), tensors);

        var tokens = TinyCheckpoints.Tokens("phi");
        var tally = new WeightErrorTally();
        var quantized = Perplexity.Evaluate(model, tokens, 16, null,
            new ForwardOptions(Quantizers: (layer, _, inFeatures) => layer < 0 ? null : int4.StorageQuantizer!(inFeatures)) { WeightErrors = tally });
        Assert.Equal(10 * Math.Log10(signal / error), tally.SqnrDb!.Value, 9);
        var dequantized = Perplexity.Evaluate(CheckpointModel.Open(temp.Path), tokens, 16, null, new ForwardOptions());
        Assert.Equal(dequantized.WindowNll, quantized.WindowNll);
        var unquantized = Perplexity.Evaluate(model, tokens, 16, null, new ForwardOptions());
        Assert.NotEqual(unquantized.MeanNll, quantized.MeanNll);
    }

    [Theory]
    [InlineData(ActivationFormat.Bf16, 8)]
    [InlineData(ActivationFormat.Fp16, 11)]
    public void ReducedActivationFormatsPerturbTheLogitsByTheirPrecision(ActivationFormat format, int significandBits)
    {
        // Rounding every op's output to a format with p significand bits perturbs logits of order 1 by a few 2^-p.
        var model = CheckpointModel.Open(TinyCheckpoints.Path("llama-gqa"));
        int[] tokens = [.. TinyCheckpoints.Tokens("llama-gqa").Take(16)];
        var exact = new ForwardPass(model, new ForwardOptions()).Logits(tokens);
        var rounded = new ForwardPass(model, new ForwardOptions(format)).Logits(tokens);
        double worst = exact.Zip(rounded, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst > 0);
        Assert.True(worst < 64 * Math.Pow(2, -significandBits), $"{format}: {worst}");
        Assert.All(rounded, v => Assert.Equal(v, format == ActivationFormat.Bf16 ? ActivationRounding.ToBf16(v) : (float)(Half)v));
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hwsim-eval-").FullName;
        public void Dispose() => Directory.Delete(Path, true);
    }
}
