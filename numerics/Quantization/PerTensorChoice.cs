namespace HwSim.Numerics.Quantization;

/// <summary>
/// The per-tensor datatype choice of ANT and OliVe: quantize the whole tensor with every candidate and keep the one
/// with the smallest total squared error, the first candidate on ties. The index is the stored type choice.
/// </summary>
public static class PerTensorChoice
{
    public static (QuantizedMatrix Best, int Index) Best(IReadOnlyList<IWeightQuantizer> candidates, WeightMatrix weights, ParallelOptions? parallel)
    {
        QuantizedMatrix? best = null;
        int bestIndex = 0;
        double bestError = double.PositiveInfinity;
        for (int index = 0; index < candidates.Count; index++)
        {
            var quantized = candidates[index].Quantize(weights, parallel);
            double error = ErrorMetrics.SumSquaredError(weights.Values, quantized.Dequantize());
            if (error < bestError) (best, bestIndex, bestError) = (quantized, index, error);
        }
        return (best ?? throw new ArgumentException("no candidate datatypes", nameof(candidates)), bestIndex);
    }
}
