using HwSim.Numerics.Gemm;

namespace HwSim.Numerics.Quantization;

/// <summary>One datatype's result: stored bits per weight, weight error, and the reference GEMM's output error.</summary>
public sealed record StudyRow(string Name, double EffectiveBits, ErrorReport Weights, ErrorReport Outputs);

/// <summary>
/// Quantizes one matrix with several schemes and measures each: weight MSE/SQNR/max error and the SQNR of
/// Y = X · dequant(Wq)ᵀ (FP16 activations, FP32 accumulation, <see cref="ReferenceGemm.Fp16ActivationsFp32Accumulate"/>)
/// against the exact product with the original weights. Rows come back ranked by weight SQNR, best first.
/// </summary>
public static class QuantizationStudy
{
    public static IReadOnlyList<StudyRow> Run(WeightMatrix weights, IReadOnlyList<IWeightQuantizer> schemes, Half[] activations,
        int activationRows, Action<string>? onSchemeDone = null)
    {
        var x = activations.Select(h => (float)h).ToArray();
        var exact = ReferenceGemm.Exact(x, activationRows, weights);
        var rows = new List<StudyRow>();
        foreach (var scheme in schemes)
        {
            var quantized = scheme.Quantize(weights);
            var weightError = ErrorMetrics.Compare(weights.Values, quantized.Dequantize());
            var output = ReferenceGemm.Fp16ActivationsFp32Accumulate(activations, activationRows, quantized);
            rows.Add(new StudyRow(quantized.Layout.Scheme, quantized.Layout.EffectiveBits, weightError, ErrorMetrics.Compare(exact, output)));
            onSchemeDone?.Invoke(scheme.Name);
        }
        return [.. rows.OrderByDescending(r => r.Weights.SqnrDb).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }
}
