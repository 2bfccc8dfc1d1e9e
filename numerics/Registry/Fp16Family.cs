using HwSim.Numerics.Formats;

namespace HwSim.Numerics.Registry;

/// <summary>
/// FP16 weights, the baseline: stored as IEEE binary16 and multiplied as floats, so no integer decomposition exists
/// and no quantizer applies. Priced as the BitMoD paper's FP16 PE when it is the only datatype of a PE.
/// </summary>
public sealed class Fp16Family : IDatatypeFamily
{
    public string Name => "fp";
    public string Grammar => "fp16";
    public IReadOnlyList<string> CanonicalNames => ["fp16"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [];

    public WeightDatatype? Parse(string name) => name != "fp16" ? null : new WeightDatatype("fp16", Name, StorageFormat.Fp16, [])
    {
        NotIntegerReason = "floating-point weights need a floating-point multiplier",
        PaperPe = new PaperPe("pe_fp16", 3, Exclusive: true),
    };
}
