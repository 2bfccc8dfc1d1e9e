using HwSim.Numerics.Registry;

namespace HwSim.Numerics.Quantization;

/// <summary>How scales are chosen where a scheme leaves it open: the absmax, or the clip with the smallest MSE.</summary>
public enum ClipMode { AbsMax, Mse }

/// <summary>
/// Quantization schemes by name, as users type them: the quantize study's view of the datatype registry. Group size
/// and clip mode apply to the group-scaled codebook schemes (intN, intN-asym, fpX, flintN, potN) and the group size to
/// bitmodN; ANT and OVP always run their own clip searches, MX and NVFP4 follow their specifications, and intN-gG
/// keeps its own group size. Unknown names fail with the grammar of the known ones.
/// </summary>
public static class QuantizerCatalog
{
    /// <summary>MSE clip search for group-scaled schemes: 50% … 100% of the absmax in 1% steps.</summary>
    public static readonly ClipSearch ShrinkSearch = new(0.50, 1.005, 0.01);

    /// <summary>The names the study accepts: every registered family with a quantizer.</summary>
    public static string Help { get; } = string.Join(", ", WeightDatatypes.Families
        .Where(f => WeightDatatypes.Get(f.CanonicalNames[0]).StudyQuantizer is not null).Select(f => f.Grammar));

    /// <summary>The datatypes the quantize report compares by default.</summary>
    public static readonly IReadOnlyList<string> DefaultNames =
        ["int3-asym", "fp3", "bitmod3", "int4", "int4-asym", "fp4", "flint4", "ant4", "ovp4", "ovp4-flint", "bitmod4",
         "mxfp4", "nvfp4", "mxfp6_e2m3", "int8", "mxint8"];

    public static IWeightQuantizer Create(string name, int groupSize = 128, ClipMode clip = ClipMode.AbsMax)
    {
        string key = name.Trim().ToLowerInvariant();
        if (!WeightDatatypes.TryGet(key, out var datatype, out string? problem)) throw new FormatException(problem);
        return datatype.StudyQuantizer is { } quantizer ? quantizer(groupSize, clip)
            : throw new FormatException($"datatype '{name}': nothing to quantize ({datatype.NotIntegerReason})");
    }
}
