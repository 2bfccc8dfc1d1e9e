using HwSim.Numerics.Quantization;
using HwSim.Workloads.Checkpoints;

namespace HwSim.Workloads.Inference;

/// <summary>
/// Chooses the quantizer of a linear op (layer −1: the LM head) whose rows have <paramref name="inFeatures"/> weights,
/// or null to keep the checkpoint's weights.
/// </summary>
public delegate IWeightQuantizer? WeightQuantizerChoice(int layer, string op, int inFeatures);

/// <summary>
/// One decoder layer's weights in FP32, read from the checkpoint; a linear op's weight is quantized with the chosen
/// quantizer and dequantized back (fake quantization, as the PTQ papers evaluate), so the forward pass computes with
/// exactly the values the datatype stores.
/// </summary>
public sealed class LayerWeights
{
    private readonly Dictionary<string, float[]> tensors = new(StringComparer.Ordinal);

    public float[] Linear(string op) => tensors[op + ".weight"];
    public float[]? Bias(string op) => tensors.GetValueOrDefault(op + ".bias");
    public float[] NormWeight(string norm) => tensors[norm + ".weight"];
    public float[]? NormBias(string norm) => tensors.GetValueOrDefault(norm + ".bias");

    public static LayerWeights Load(CheckpointModel model, int layer, WeightQuantizerChoice? quantizers)
    {
        var weights = new LayerWeights();
        var spec = model.Spec;
        foreach (var (op, outFeatures, inFeatures) in spec.LayerLinears())
        {
            string prefix = model.Names.Linear(layer, op);
            var values = model.Weights.Read(prefix + ".weight", outFeatures, inFeatures);
            weights.tensors[op + ".weight"] = Quantized(quantizers?.Invoke(layer, op, inFeatures), prefix + ".weight", outFeatures, inFeatures, values);
            if (spec.BiasedLinears.Contains(op)) weights.tensors[op + ".bias"] = model.Weights.Read(prefix + ".bias", outFeatures);
        }
        foreach (string norm in model.Names.Norms.Keys)
        {
            string prefix = model.Names.Norm(layer, norm);
            weights.tensors[norm + ".weight"] = model.Weights.Read(prefix + ".weight", model.Shape.HiddenSize);
            if (spec.Norm.Kind == NormKind.Layer) weights.tensors[norm + ".bias"] = model.Weights.Read(prefix + ".bias", model.Shape.HiddenSize);
        }
        return weights;
    }

    /// <summary>The dequantized values of <paramref name="values"/> under <paramref name="quantizer"/> (unchanged when null).</summary>
    public static float[] Quantized(IWeightQuantizer? quantizer, string name, int rows, int cols, float[] values)
    {
        if (quantizer is null) return values;
        var matrix = new WeightMatrix(rows, cols, values);
        matrix.EnsureFinite(name);
        return quantizer.Quantize(matrix).Dequantize();
    }
}
