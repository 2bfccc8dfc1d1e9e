using HwSim.Numerics.Quantization;

namespace HwSim.CostModels.Sensitivity;

/// <summary>
/// The numerics quantizer that reproduces each accelerator weight datatype: per-channel scales for INT8/INT6 (the
/// storage the arch datatypes count), groups of 128 for INT4 and BitMoD (BitMoD's g128), OliVe's and ANT's own
/// clip searches for OVP and ANT. FP16 weights have no quantizer (their error is taken as zero).
/// </summary>
public static class WeightQuantizers
{
    public const int GroupSize = 128;

    public static IWeightQuantizer? For(string datatype, int inFeatures) => datatype switch
    {
        "fp16" => null,
        "int8" or "int6" => QuantizerCatalog.Create(datatype, inFeatures),
        "int4" or "bitmod3" or "bitmod4" => QuantizerCatalog.Create(datatype, GroupSize),
        "ovp4" or "ovp4-flint" or "ovp8" or "ant4" or "ant8" => QuantizerCatalog.Create(datatype),
        _ => throw new ArgumentException($"no quantizer reproduces weight datatype '{datatype}'"),
    };
}
