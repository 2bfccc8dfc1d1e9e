using HwSim.CostModels.Sensitivity;
using HwSim.Numerics.Quantization;
using HwSim.Tests.Workloads.Inference;
using HwSim.Workloads.Checkpoints;
using HwSim.Workloads.Models;

namespace HwSim.Tests.Workloads;

public class CheckpointNameMapTests
{
    [Theory]
    [InlineData(ModelFamily.Llama, 3, "o_proj", "model.layers.3.self_attn.o_proj")]
    [InlineData(ModelFamily.Llama, 0, "down_proj", "model.layers.0.mlp.down_proj")]
    [InlineData(ModelFamily.Opt, 2, "o_proj", "model.decoder.layers.2.self_attn.out_proj")]
    [InlineData(ModelFamily.Opt, 2, "fc1", "model.decoder.layers.2.fc1")]
    [InlineData(ModelFamily.Phi, 1, "o_proj", "model.layers.1.self_attn.dense")]
    [InlineData(ModelFamily.Phi, 1, "fc2", "model.layers.1.mlp.fc2")]
    [InlineData(ModelFamily.Gemma2, 4, "gate_proj", "model.layers.4.mlp.gate_proj")]
    [InlineData(ModelFamily.Opt, -1, "lm_head", "lm_head")]
    public void TracerOpNamesMapToHuggingFaceTensorNames(ModelFamily family, int layer, string op, string tensor) =>
        Assert.Equal(tensor, CheckpointFamilies.Names(family).Linear(layer, op));

    [Theory]
    [InlineData("opt", ModelFamily.Opt, "o_proj", 64, 64)]
    [InlineData("opt", ModelFamily.Opt, "fc2", 64, 128)]
    [InlineData("phi", ModelFamily.Phi, "o_proj", 64, 64)]
    [InlineData("llama-gqa", ModelFamily.Llama, "k_proj", 32, 64)]
    public void SensitivityReadsOptPhiAndShardedCheckpoints(string fixture, ModelFamily family, string op, int outFeatures, int inFeatures)
    {
        // Formerly "no tensor for layer 0 o_proj" for OPT (out_proj) and Phi (dense); the LLaMA fixture is sharded.
        var table = SensitivityTable.Measure([new(1, op, outFeatures, inFeatures)], ["int4"],
            new SensitivityOptions(SampleRows: 8, SafetensorsPath: TinyCheckpoints.Path(fixture)) { Family = family });
        var weights = HwSim.Workloads.Inference.CheckpointModel.Open(TinyCheckpoints.Path(fixture)).Weights;
        string name = CheckpointFamilies.Names(family).Linear(1, op) + ".weight";
        var sample = new WeightMatrix(8, inFeatures, weights.Read(name, outFeatures, inFeatures).AsSpan(0, 8 * inFeatures).ToArray());
        double expected = ErrorMetrics.SumSquaredError(sample.Values, HwSim.Numerics.Registry.WeightDatatypes.Get("int4").StorageQuantizer!(inFeatures).Quantize(sample).Dequantize())
            * outFeatures / 8.0;
        Assert.Equal(expected, table.Of(1, op, "int4"), expected * 1e-12);
    }
}
