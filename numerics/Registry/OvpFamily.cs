using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Numerics.Registry;

/// <summary>
/// OliVe's outlier-victim pairs (Guo et al., ISCA 2023): ovp4 (int4 normals), ovp4-flint (flint4 normals), ovp8 (int8
/// normals), abfloat outliers, per-channel clip search; 4 or 8 bits per weight (per-channel scales left out). The PE
/// sees normal and outlier values; OVP8's int normals are quarter-integers in OliVe's units, so its integer unit is a
/// quarter of OliVe's. OliVe's pair decoders at the array edge decode every format, so each lists all their tables.
/// ovp4-auto is OliVe's LLM mode: per tensor, int or flint normals, whichever errs less (<see cref="OvpAutoQuantizer"/>);
/// its values are both normal types' and the outliers', and the 4-bit pair decoder reads the tensor's 1-bit choice to
/// pick the normal decoding (the ovp-pair decoder unit decodes both, so ovp4-flint runs on it too).
/// </summary>
public sealed class OvpFamily : IDatatypeFamily
{
    public static readonly DecoderKind Decoder4 = new("ovp", "ovp_decoder", 4, false, "OliVe outlier-victim pair decoder (4-bit)");
    public static readonly DecoderKind Decoder8 = new("ovp8", "ovp_decoder", 8, false, "OliVe outlier-victim pair decoder (8-bit)");

    private static readonly (string Name, OvpFormat Format, DecoderKind Decoder, string? Unit)[] Formats =
    [
        ("ovp4", OvpFormat.Int4, Decoder4, DecoderUnitNames.OvpPair),
        ("ovp4-flint", OvpFormat.Flint4, Decoder4, DecoderUnitNames.OvpPair),
        ("ovp8", OvpFormat.Int8, Decoder8, null),
    ];

    /// <summary>OliVe's per-tensor choice between int and flint normals at 4 bits.</summary>
    public const string Auto4 = "ovp4-auto";

    public string Name => "ovp";
    public string Grammar => string.Join(", ", [.. Formats.Select(f => f.Name), Auto4]);
    public IReadOnlyList<string> CanonicalNames => [.. Formats.Select(f => f.Name), Auto4];
    public IReadOnlyList<DecoderKind> DecoderKinds => [Decoder4, Decoder8];

    public WeightDatatype? Parse(string name)
    {
        if (name == Auto4) return Auto();
        var (_, format, decoder, unit) = Formats.FirstOrDefault(f => f.Name == name);
        if (format is null) return null;
        return IntegerUnits.Datatype(name, Name, new StorageFormat(name, format.Bits), format.Normal, format.Outlier) with
        {
            DecoderUnit = unit,
            Decoder = decoder,
            PaperPe = new PaperPe("pe_olive", 1),
            Rtl = Tables,
            StorageQuantizer = _ => new OvpQuantizer(format, OvpQuantizer.OliveSearch),
            StudyQuantizer = (_, _) => new OvpQuantizer(format, OvpQuantizer.OliveSearch),
        };
    }

    private WeightDatatype Auto() =>
        IntegerUnits.Datatype(Auto4, Name, new StorageFormat(Auto4, 4), OvpFormat.Int4.Normal, OvpFormat.Flint4.Normal, OvpFormat.Int4.Outlier) with
        {
            DecoderUnit = DecoderUnitNames.OvpPair,
            Decoder = Decoder4,
            PaperPe = new PaperPe("pe_olive", 1),
            Rtl = Tables,
            StorageQuantizer = _ => new OvpAutoQuantizer(4, OvpQuantizer.OliveSearch),
            StudyQuantizer = (_, _) => new OvpAutoQuantizer(4, OvpQuantizer.OliveSearch),
        };

    private static readonly RtlTables Tables = BuildTables();

    private static RtlTables BuildTables()
    {
        var constants = new List<RtlConstant>();
        var tables = new List<RtlTable>();
        foreach (var format in new[] { OvpFormat.Int4, OvpFormat.Flint4, OvpFormat.Int8 })
        {
            int unitScale = IntegerUnits.UnitScale(format.Name, [.. format.Normal.SortedValues.ToArray(), .. format.Outlier.SortedValues.ToArray()]);
            string note = unitScale == 1 ? "" : $" in units of 1/{unitScale} of OliVe's normalized unit";
            string name = $"OVP{format.Bits}{(format.NormalKind == OvpNormalKind.Flint ? "_FLINT" : "")}";
            if (format.NormalKind == OvpNormalKind.Int)
                constants.Add(new($"OVP{format.Bits}_IDENTIFIER", format.Identifier, "code", "victim slot code (sign-magnitude \"-0\")"));
            tables.Add(IntegerUnits.Table($"{name}_NORMAL_DECODE", format.Normal, unitScale, $"OliVe {format.Name} normal value by code{note}"));
            if (format.NormalKind == OvpNormalKind.Int)
                tables.Add(IntegerUnits.Table($"OVP{format.Bits}_ABFLOAT_DECODE", format.Outlier, unitScale,
                    $"OliVe abfloat outlier value by code (sign, 2 exponent bits, bias 5){note}"));
        }
        return new RtlTables(constants, tables);
    }
}
