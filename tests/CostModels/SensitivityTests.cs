using HwSim.CostModels.Sensitivity;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;
using HwSim.Tests.Cli;
using HwSim.Tests.Numerics;

namespace HwSim.Tests.CostModels;

public sealed class SensitivityTests : TemporaryDirectory
{
    [Fact]
    public void RealWeightsAreReadPerLayerAndScaledFromTheSample()
    {
        // Two layers of a Hugging Face-style checkpoint, 16 x 128 each, with different values.
        var layer0 = SyntheticWeights.Generate(new SyntheticSpec(16, 128, Seed: 3));
        var layer1 = SyntheticWeights.Generate(new SyntheticSpec(16, 128, Seed: 4, Sigma: 0.05));
        byte[] data = [.. TensorIoTests.F32(layer0.Values), .. TensorIoTests.F32(layer1.Values)];
        string header = """{"model.layers.0.self_attn.q_proj.weight":{"dtype":"F32","shape":[16,128],"data_offsets":[0,8192]},"model.layers.1.self_attn.q_proj.weight":{"dtype":"F32","shape":[16,128],"data_offsets":[8192,16384]}}""";
        string path = Path.Combine(TempPath, "model.safetensors");
        File.WriteAllBytes(path, TensorIoTests.Safetensors(header, data));

        var table = SensitivityTable.Measure([new(0, "q_proj", 16, 128), new(1, "q_proj", 16, 128)], ["int4", "bitmod4"],
            new SensitivityOptions(SampleRows: 4, SafetensorsPath: path));
        // The first 4 rows, quantized by numerics/, times 16/4 to stand for the whole layer.
        var sample = new WeightMatrix(4, 128, layer1.Values.AsSpan(0, 4 * 128).ToArray());
        var quantized = QuantizerCatalog.Create("int4", 128).Quantize(sample);
        double expected = ErrorMetrics.SumSquaredError(sample.Values, quantized.Dequantize()) * 4;
        Assert.Equal(expected, table.Of(1, "q_proj", "int4"), expected * 1e-12);
        Assert.True(table.Of(1, "q_proj", "int4") > table.Of(0, "q_proj", "int4"), "a wider layer is more sensitive");

        var missing = Assert.Throws<InvalidDataException>(() => SensitivityTable.Measure([new(2, "q_proj", 16, 128)], ["int4"],
            new SensitivityOptions(SafetensorsPath: path)));
        Assert.StartsWith("model.safetensors: no tensor for layer 2 q_proj", missing.Message);
    }

    [Fact]
    public void OutputErrorFallsWithBitsToo()
    {
        var table = SensitivityTable.Measure([new(0, "down_proj", 64, 512)], ["bitmod3", "bitmod4", "int8"],
            new SensitivityOptions(SensitivityMetric.Output, SampleRows: 16, CalibrationTokens: 8));
        Assert.True(table.Of(0, "down_proj", "int8") < table.Of(0, "down_proj", "bitmod4"));
        Assert.True(table.Of(0, "down_proj", "bitmod4") < table.Of(0, "down_proj", "bitmod3"));
        Assert.True(table.Of(0, "down_proj", "int8") > 0);
    }

    [Theory]
    [InlineData("layer,op\n", "imp.csv line 1: expected the header layer,op,importance")]
    [InlineData("layer,op,importance\nx,q_proj,1\n", "imp.csv line 2: layer 'x' is not a layer number (or -1 for lm_head)")]
    [InlineData("layer,op,importance\n0,q_proj,-1\n", "imp.csv line 2: importance '-1' must be a non-negative number")]
    [InlineData("layer,op,importance\n0,q_proj,1\n0,q_proj,2\n", "imp.csv line 3: layer 0 op q_proj appears twice")]
    public void BadImportanceFilesNameTheLine(string text, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => ImportanceFile.Parse(text, "imp.csv")).Message);
}

public sealed class LossSensitivityTests
{
    [Fact]
    public void LossIncreaseEqualsAFullEvaluationWithThatOpAloneQuantized()
    {
        // The cached-layer-input measurement against two independent full perplexity evaluations.
        string phi = HwSim.Tests.Workloads.Inference.TinyCheckpoints.Path("phi");
        var model = HwSim.Workloads.Inference.CheckpointModel.Open(phi);
        int[] tokens = HwSim.Tests.Workloads.Inference.TinyCheckpoints.Tokens("phi");
        var int3 = HwSim.Numerics.Registry.WeightDatatypes.Get("int3-asym").StorageQuantizer!;
        var table = SensitivityTable.Measure([new(1, "fc2", 64, 128), new(0, "q_proj", 64, 64), new(-1, "lm_head", 256, 64)], ["int3-asym", "fp16"],
            new SensitivityOptions(SensitivityMetric.Loss, SafetensorsPath: phi) { Family = HwSim.Workloads.Models.ModelFamily.Phi, Calibration = tokens, CalibrationSeqLen = 16 });
        var stored = HwSim.Workloads.Inference.Perplexity.Evaluate(model, tokens, 16, null, new());
        foreach (var (layer, op) in new[] { (1, "fc2"), (0, "q_proj"), (-1, "lm_head") })
        {
            var alone = HwSim.Workloads.Inference.Perplexity.Evaluate(model, tokens, 16, null,
                new(Quantizers: (l, o, inFeatures) => l == layer && o == op ? int3(inFeatures) : null));
            Assert.Equal(Math.Max(0, alone.MeanNll - stored.MeanNll), table.Of(layer, op, "int3-asym"), 1e-9);
            Assert.Equal(0, table.Of(layer, op, "fp16"));
        }
        Assert.True(new[] { (1, "fc2"), (0, "q_proj"), (-1, "lm_head") }.Max(o => table.Of(o.Item1, o.Item2, "int3-asym")) > 0);
    }

    [Fact]
    public void LossMetricNeedsACheckpointMatchingTheWorkload()
    {
        string phi = HwSim.Tests.Workloads.Inference.TinyCheckpoints.Path("phi");
        var options = new SensitivityOptions(SensitivityMetric.Loss, SafetensorsPath: phi) { Family = HwSim.Workloads.Models.ModelFamily.Phi, Calibration = [1, 2, 3], CalibrationSeqLen = 2 };
        Assert.Contains("tensor 'model.layers.0.mlp.fc1.weight' has shape [128, 64], the config needs [11008, 4096]",
            Assert.Throws<InvalidDataException>(() => SensitivityTable.Measure([new(0, "fc1", 11008, 4096)], ["int4"], options)).Message);
        Assert.Contains("needs calibration token ids",
            Assert.Throws<InvalidDataException>(() => SensitivityTable.Measure([new(0, "fc1", 128, 64)], ["int4"], options with { Calibration = null })).Message);
    }
}
