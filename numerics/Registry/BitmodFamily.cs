using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// BitMoD's per-group mixture of FP3 / FP4 with one of four special values (Chen et al., HPCA 2025, Sec. III), groups
/// of 128. The group scale is stored as INT8 after a second-level quantization (paper Sec. IV, after VS-Quant):
/// w + 8/128 bits, as in the paper's simulator (abdelfattah-lab/BitMoD-HPCA-25 @e445a5f); the 2-bit type id is not
/// counted there, and neither is it here. One decoder handles both widths, so each lists both widths' tables.
/// </summary>
public sealed class BitmodFamily : IDatatypeFamily
{
    public const int GroupSize = 128;
    public const int ScaleBits = 8;

    /// <summary>BitMoD's dequantization logic, one per 8×8-PE tile (BitMoD Table X).</summary>
    public static readonly DecoderKind Decoder = new("bitmod-dequant", "bitmod_dequant_tile", null, true, "BitMoD dequantization logic per 8x8-PE tile");

    /// <summary>The family name, for reports that single out the BitMoD design.</summary>
    public const string FamilyName = "bitmod";

    public string Name => FamilyName;
    public string Grammar => "bitmod3, bitmod4";
    public IReadOnlyList<string> CanonicalNames => ["bitmod3", "bitmod4"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [Decoder];

    public WeightDatatype? Parse(string name)
    {
        int bits = name switch { "bitmod3" => 3, "bitmod4" => 4, _ => 0 };
        if (bits == 0) return name.StartsWith(Name, StringComparison.Ordinal) && name.Length > Name.Length && name[Name.Length..].All(char.IsAsciiDigit)
            ? throw new FormatException($"datatype '{name}': width {name[Name.Length..]} is not supported ({Grammar})") : null;
        var storage = new StorageFormat($"{name}-g{GroupSize}", bits, GroupSize, ScaleBits);
        return IntegerUnits.Datatype(name, Name, storage, [.. BitmodTypes.Candidates(bits)]) with
        {
            DecoderUnit = DecoderUnitNames.Bitmod,
            Decoder = Decoder,
            PaperPe = new PaperPe("pe_bitmod", 0),
            Rtl = Tables,
            StorageQuantizer = _ => new BitmodQuantizer(bits, GroupSize),
            StudyQuantizer = (group, _) => new BitmodQuantizer(bits, group),
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
