using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// OCP Microscaling v1.0 block formats: 32 elements share an 8-bit E8M0 scale, so mxfp4 costs 4 + 8/32 bits. The
/// elements are integers in units of their smallest subnormal (MXFP4: halves; MXINT8: 2^-6), the shared power-of-two
/// scale is a shift of the block's integer partial sum.
/// </summary>
public sealed class MxFamily : IDatatypeFamily
{
    /// <summary>The shared-exponent alignment of block partial sums, optional at the array edge.</summary>
    public static readonly DecoderKind ScaleDecoder = new("mx-scale", "mx_scale_decoder", null, false, "MX shared-exponent alignment");

    /// <summary>E8M0 scale bits per block (OCP MX v1.0, Sec. 5).</summary>
    public const int ScaleBits = 8;

    private static readonly (string Name, Func<MxQuantizer> Quantizer, MiniFloat? Element)[] Formats =
    [
        ("mxfp4", () => MxQuantizer.Fp4, MiniFloat.Fp4E2M1),
        ("mxfp6_e2m3", () => MxQuantizer.Fp6E2M3, MiniFloat.Fp6E2M3),
        ("mxfp6_e3m2", () => MxQuantizer.Fp6E3M2, MiniFloat.Fp6E3M2),
        ("mxfp8_e4m3", () => MxQuantizer.Fp8E4M3, MiniFloat.Fp8E4M3),
        ("mxfp8_e5m2", () => MxQuantizer.Fp8E5M2, MiniFloat.Fp8E5M2),
        ("mxint8", () => MxQuantizer.Int8, null),
    ];

    public string Name => "mx";
    public string Grammar => string.Join(", ", Formats.Select(f => f.Name));
    public IReadOnlyList<string> CanonicalNames => [.. Formats.Select(f => f.Name)];
    public IReadOnlyList<DecoderKind> DecoderKinds => [ScaleDecoder];

    public WeightDatatype? Parse(string name)
    {
        var (_, quantizer, element) = Formats.FirstOrDefault(f => f.Name == name);
        if (quantizer is null) return null;
        var codebook = quantizer().Element;
        var storage = new StorageFormat(name, codebook.Bits, MxQuantizer.BlockSize, ScaleBits);
        var datatype = IntegerUnits.Datatype(name, Name, storage, codebook);
        // MXINT8 elements are two's complement: the PE takes the code itself, no table.
        var tables = element is null ? RtlTables.None : new RtlTables([], [MiniFloatFamily.ElementTable(element, datatype.UnitScale)]);
        return datatype with
        {
            DecoderUnit = DecoderUnitNames.Rom,
            Rtl = tables,
            StorageQuantizer = _ => quantizer(),
            StudyQuantizer = (_, _) => quantizer(),
            FixedGroupSize = MxQuantizer.BlockSize,
        };
    }
}
