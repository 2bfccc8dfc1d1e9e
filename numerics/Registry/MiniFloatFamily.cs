using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// Small floating-point element types with an FP16 scale per group: fp3 (E2M0), fp4 (E2M1), fp6_e2m3, fp6_e3m2
/// (OCP MX v1.0 element types), fp8_e4m3, fp8_e5m2 (OCP FP8, 2023). Every value is an integer in units of the
/// format's smallest subnormal (FP4: halves, FP8 E4M3: 2^-9), so integer datapaths run them; the stored group size
/// is 128 as for the BitMoD paper's group-scaled types.
/// </summary>
public sealed class MiniFloatFamily : IDatatypeFamily
{
    public const int StorageGroupSize = 128;

    private static readonly (string Name, MiniFloat Format)[] Formats =
    [
        ("fp3", MiniFloat.Fp3E2M0), ("fp4", MiniFloat.Fp4E2M1), ("fp6_e2m3", MiniFloat.Fp6E2M3),
        ("fp6_e3m2", MiniFloat.Fp6E3M2), ("fp8_e4m3", MiniFloat.Fp8E4M3), ("fp8_e5m2", MiniFloat.Fp8E5M2),
    ];

    public string Name => "minifloat";
    public string Grammar => string.Join(", ", Formats.Select(f => f.Name));
    public IReadOnlyList<string> CanonicalNames => [.. Formats.Select(f => f.Name)];
    public IReadOnlyList<DecoderKind> DecoderKinds => [];

    public WeightDatatype? Parse(string name)
    {
        var format = Formats.FirstOrDefault(f => f.Name == name).Format;
        if (format is null) return null;
        var codebook = format.ToCodebook();
        var storage = new StorageFormat($"{name}-g{StorageGroupSize}", format.Bits, StorageGroupSize, 16);
        var datatype = IntegerUnits.Datatype(name, Name, storage, codebook);
        return datatype with
        {
            DecoderUnit = DecoderUnitNames.Rom,
            Rtl = new RtlTables([], [ElementTable(format, datatype.UnitScale)]),
            StorageQuantizer = _ => IntegerUnits.GroupScaled(codebook, name, StorageGroupSize, ClipMode.AbsMax),
            StudyQuantizer = (group, clip) => IntegerUnits.GroupScaled(codebook, name, group, clip),
        };
    }

    /// <summary>The element decode table (shared by the MX and NVFP4 types with the same element).</summary>
    public static RtlTable ElementTable(MiniFloat format, int unitScale) =>
        IntegerUnits.Table($"{format.Name.ToUpperInvariant()}_DECODE", format.ToCodebook(), unitScale,
            $"{format.Name} value by code{IntegerUnits.UnitNote(unitScale)} (sign-magnitude; codes with no value read 0)");
}
