using HwSim.Numerics.Formats;
using HwSim.Numerics.Gemm;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// A weight datatype as simulators, cost models and exporters see it: what it costs in memory (codes plus per-group
/// data), the set of integer values (mantissa · 2^exponent, in the datatype's integer units) its decoder can hand to a
/// PE, and the hardware it implies. <see cref="Values"/> is empty for floating-point weights, which only a
/// bit-parallel floating-point PE executes (<see cref="NotIntegerReason"/> says why). Instances come from the family
/// descriptors of <see cref="WeightDatatypes"/>.
/// </summary>
public sealed record WeightDatatype(string Name, string Family, StorageFormat Storage, IReadOnlyList<long> Values)
{
    public bool IsInteger => Values.Count > 0;

    /// <summary>Two's-complement width that holds every value: the digits a bit-serial PE walks through.</summary>
    public int TwosComplementBits => IsInteger ? IntegerGemm.TwosComplementBits(Values) : Storage.ElementBits;

    /// <summary>
    /// The most signed power-of-two terms any value needs (its non-adjacent-form weight): the cycles a term-serial
    /// PE spends per weight at one term per cycle. FP3/FP4/BitMoD: 2, INT6: 3, INT8: 4 — BitMoD's 4 MACs per 2, 3
    /// and 4 cycles (BitMoD, HPCA 2025, Sec. IV).
    /// </summary>
    public int MaxTerms => IsInteger ? Values.Max(v => NonAdjacentForm.Terms(v).Count) : 0;

    /// <summary>Integer units per unit of the datatype's codebook (FP4 E2M1: 2, half units; OVP8: 4).</summary>
    public int UnitScale { get; init; } = 1;

    /// <summary>Why an integer datapath cannot run the datatype (null for integer-valued datatypes).</summary>
    public string? NotIntegerReason { get; init; }

    /// <summary>The decoder unit (by the name arch registers it under) that turns stored codes into values, or null.</summary>
    public string? DecoderUnit { get; init; }

    /// <summary>The decoder the design needs at the array edge (a <c>decoders[i].kind</c>, priced by cost models), or null.</summary>
    public DecoderKind? Decoder { get; init; }

    /// <summary>The published PE design a PE running this datatype is priced as, or null for a plain fixed-point PE.</summary>
    public PaperPe? PaperPe { get; init; }

    /// <summary>Named integer tables (and constants) a hardware decoder of this datatype needs.</summary>
    public RtlTables Rtl { get; init; } = RtlTables.None;

    /// <summary>
    /// The quantizer whose stored result has exactly <see cref="Storage"/>'s layout (per-channel scales span
    /// <c>inFeatures</c> weights); null when the weights are stored unquantized.
    /// </summary>
    public Func<int, IWeightQuantizer>? StorageQuantizer { get; init; }

    /// <summary>
    /// The group size the datatype's own definition fixes (MX: 32, NVFP4: 16, intN-gG: G), or null when the study's
    /// group size applies; a study asking for another group size is a mistake, not a choice.
    /// </summary>
    public int? FixedGroupSize { get; init; }

    /// <summary>The quantizer the <c>quantize</c> study runs (group size and clip mode where the scheme leaves them open).</summary>
    public Func<int, ClipMode, IWeightQuantizer>? StudyQuantizer { get; init; }
}
