using System.Text.RegularExpressions;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// ANT's flint (Guo et al., MICRO 2022): a first-one exponent code, N = 3..6 bits, with an FP16 scale per group of 128
/// (the group size of the BitMoD paper's group-scaled baselines, HPCA 2025, Sec. V).
/// Its decoder is the flint decoder at the array edge (ANT's, priced as such).
/// </summary>
public sealed partial class FlintFamily : IDatatypeFamily
{
    public const int StorageGroupSize = 128;

    /// <summary>ANT's flint decoder at the array edge (the 4-bit decoder of the ANT paper's area table).</summary>
    public static readonly DecoderKind Decoder = new("flint", "flint_decoder", 4, false, "ANT flint / PoT / int decoder");

    public string Name => "flint";
    public string Grammar => $"flintN ({AntTypes.MinFlintBits}..{AntTypes.MaxFlintBits})";
    public IReadOnlyList<string> CanonicalNames => ["flint4"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [Decoder];

    public WeightDatatype? Parse(string name)
    {
        var match = Grammar_().Match(name);
        if (!match.Success) return null;
        int bits = IntegerUnits.Width(name, match.Groups[1].Value, AntTypes.MinFlintBits, AntTypes.MaxFlintBits, Grammar);
        var codebook = AntTypes.Flint(bits, signed: true);
        var storage = new StorageFormat($"{name}-g{StorageGroupSize}", bits, StorageGroupSize, 16);
        var datatype = IntegerUnits.Datatype(name, Name, storage, codebook);
        return datatype with
        {
            DecoderUnit = DecoderUnitNames.Rom,
            Decoder = Decoder,
            Rtl = new RtlTables([], [IntegerUnits.Table($"FLINT{bits}_DECODE", codebook, datatype.UnitScale, $"flint{bits} value by code (first-one exponent)")]),
            StorageQuantizer = _ => IntegerUnits.GroupScaled(codebook, name, StorageGroupSize, ClipMode.AbsMax),
            StudyQuantizer = (group, clip) => IntegerUnits.GroupScaled(codebook, name, group, clip),
        };
    }

    [GeneratedRegex(@"^flint(\d{1,2})$")]
    private static partial Regex Grammar_();
}
