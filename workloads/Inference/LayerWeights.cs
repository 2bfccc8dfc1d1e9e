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

    /// <summary>
    /// Reads layer <paramref name="layer"/>, into the arrays of <paramref name="reuse"/> (the previous layer's, all
    /// layers having the same shapes) when given, so a pass over the layers allocates one layer's weights once.
    /// </summary>
    public static LayerWeights Load(CheckpointModel model, int layer, WeightQuantizerChoice? quantizers, LayerWeights? reuse = null,
        WeightErrorTally? errors = null)
    {
        var weights = reuse ?? new LayerWeights();
        var spec = model.Spec;
        bool quantized = false;
        foreach (var (op, outFeatures, inFeatures) in spec.LayerLinears())
        {
            string prefix = model.Names.Linear(layer, op);
            var values = weights.Read(model, op + ".weight", prefix + ".weight", outFeatures, inFeatures);
            if (quantizers?.Invoke(layer, op, inFeatures) is { } quantizer)
            {
                var dequantized = Quantized(quantizer, prefix + ".weight", outFeatures, inFeatures, values);
                errors?.Add(values, dequantized);
                dequantized.CopyTo(values, 0);
                quantized = true;
            }
            if (spec.BiasedLinears.Contains(op)) weights.Read(model, op + ".bias", prefix + ".bias", outFeatures);
        }
        foreach (string norm in model.Names.Norms.Keys)
        {
            string prefix = model.Names.Norm(layer, norm);
            weights.Read(model, norm + ".weight", prefix + ".weight", model.Shape.HiddenSize);
            if (spec.Norm.Kind == NormKind.Layer) weights.Read(model, norm + ".bias", prefix + ".bias", model.Shape.HiddenSize);
        }
        // A quantizer leaves a layer's worth of codes and scales behind on the large-object heap; collect them now so
        // peak memory stays near one layer rather than a few layers of garbage.
        if (quantized) GC.Collect();
        return weights;
    }

    private float[] Read(CheckpointModel model, string key, string name, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (!tensors.TryGetValue(key, out var values) || values.Length != count) tensors[key] = values = new float[count];
        model.Weights.ReadInto(name, values, shape);
        return values;
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
