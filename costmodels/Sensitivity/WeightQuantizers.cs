using HwSim.Numerics.Registry;
using HwSim.Numerics.Quantization;

namespace HwSim.CostModels.Sensitivity;

/// <summary>
/// The numerics quantizer that reproduces each accelerator weight datatype's stored layout (the registry's storage
/// quantizer: per-channel scales for INT8/INT6, groups of 128 for INT4 and BitMoD, OliVe's and ANT's own clip
/// searches). FP16 weights have no quantizer (their error is taken as zero).
/// </summary>
public static class WeightQuantizers
{
    public static IWeightQuantizer? For(string datatype, int inFeatures) =>
        WeightDatatypes.TryGet(datatype, out var d, out string? problem) ? d.StorageQuantizer?.Invoke(inFeatures)
        : throw new ArgumentException($"no quantizer reproduces weight datatype '{datatype}': {problem}");
}
