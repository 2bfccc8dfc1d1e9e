using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// BitMoD's per-group mixture of FP3 / FP4 with one of four special values (Chen et al., HPCA 2025, Sec. III), groups
/// of 128. bitmod3 / bitmod4 store the group scale as INT8 after a second-level quantization against an FP16 scale per
/// row (paper Sec. IV, after VS-Quant; <see cref="ScaleFormat.Int8RowScaled"/>): w + 8/128 bits, as in the paper's
/// simulator (abdelfattah-lab/BitMoD-HPCA-25 @e445a5f); the 2-bit type id and the per-row scale are not counted there,
/// and neither are they here (the quantizer's stored layout counts them). bitmod3-fp16s / bitmod4-fp16s keep the
/// public quantizer's FP16 group scales: w + 16/128 bits. One decoder handles both widths, so each lists both widths'
/// tables.
/// </summary>
public sealed class BitmodFamily : IDatatypeFamily
{
    public const int GroupSize = 128;
    public const int ScaleBits = 8;

    /// <summary>Bits of the FP16 group scale of the -fp16s forms.</summary>
    public const int Fp16ScaleBits = 16;

    private const string Fp16ScaleSuffix = "-fp16s";

    /// <summary>BitMoD's dequantization logic, one per 8×8-PE tile (BitMoD Table X).</summary>
    public static readonly DecoderKind Decoder = new("bitmod-dequant", "bitmod_dequant_tile", null, true, "BitMoD dequantization logic per 8x8-PE tile");

    /// <summary>The family name, for reports that single out the BitMoD design.</summary>
    public const string FamilyName = "bitmod";

    public string Name => FamilyName;
    public string Grammar => "bitmod3, bitmod4, bitmod3-fp16s, bitmod4-fp16s";
    public IReadOnlyList<string> CanonicalNames => ["bitmod3", "bitmod4", "bitmod3-fp16s", "bitmod4-fp16s"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [Decoder];

    public WeightDatatype? Parse(string name)
    {
        bool fp16Scales = name.EndsWith(Fp16ScaleSuffix, StringComparison.Ordinal);
        string width = name.StartsWith(Name, StringComparison.Ordinal) ? name[Name.Length..^(fp16Scales ? Fp16ScaleSuffix.Length : 0)] : "";
        int bits = width switch { "3" => 3, "4" => 4, _ => 0 };
        if (bits == 0) return width.Length > 0 && width.All(char.IsAsciiDigit)
            ? throw new FormatException($"datatype '{name}': width {width} is not supported ({Grammar})") : null;
        var scaleFormat = fp16Scales ? ScaleFormat.Fp16 : ScaleFormat.Int8RowScaled;
        var storage = new StorageFormat($"{name}-g{GroupSize}", bits, GroupSize, fp16Scales ? Fp16ScaleBits : ScaleBits);
        return IntegerUnits.Datatype(name, Name, storage, [.. BitmodTypes.Candidates(bits)]) with
        {
            DecoderUnit = DecoderUnitNames.Bitmod,
            Decoder = Decoder,
            PaperPe = new PaperPe("pe_bitmod", 0),
            Rtl = Tables,
            StorageQuantizer = _ => new BitmodQuantizer(bits, GroupSize, scaleFormat),
            StudyQuantizer = (group, _) => new BitmodQuantizer(bits, group, scaleFormat),
        };
    }

    private static readonly RtlTables Tables = new([], [.. new[] { 3, 4 }.SelectMany(WidthTables)]);

    private static IEnumerable<RtlTable> WidthTables(int bits)
    {
        var candidates = BitmodTypes.Candidates(bits).ToArray();
        yield return IntegerUnits.Table($"BITMOD{bits}_SPECIAL", candidates.Select(c => c.Decode(BitmodTypes.SpecialCode(bits))),
            $"BitMoD {bits}-bit special value by 2-bit type id (0 ER_POS, 1 ER_NEG, 2 EA_POS, 3 EA_NEG), held in the 4-entry register the \"-0\" code reads");
        yield return IntegerUnits.Table($"BITMOD{bits}_DECODE", candidates.SelectMany(c => Enumerable.Range(0, c.CodeCount).Select(c.Decode)),
            $"BitMoD {bits}-bit value at index (type id << {bits}) | code; sign-magnitude E2M{bits - 3} codes");
    }
}
