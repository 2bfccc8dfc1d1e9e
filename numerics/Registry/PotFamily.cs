using System.Text.RegularExpressions;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// Signed power-of-two weights (ANT's PoT, Guo et al., MICRO 2022), N = 2..5 bits, with an FP16 scale per group of
/// 128. A PoT value is one shift, so a term-serial PE takes one term per weight.
/// </summary>
public sealed partial class PotFamily : IDatatypeFamily
{
    public const int StorageGroupSize = 128;
    public const int MinBits = 2, MaxBits = 5;

    public string Name => "pot";
    public string Grammar => $"potN ({MinBits}..{MaxBits})";
    public IReadOnlyList<string> CanonicalNames => ["pot4"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [];

    public WeightDatatype? Parse(string name)
    {
        var match = Grammar_().Match(name);
        if (!match.Success) return null;
        int bits = IntegerUnits.Width(name, match.Groups[1].Value, MinBits, MaxBits, Grammar);
        var codebook = AntTypes.PowerOfTwo(bits, signed: true);
        var storage = new StorageFormat($"{name}-g{StorageGroupSize}", bits, StorageGroupSize, 16);
        var datatype = IntegerUnits.Datatype(name, Name, storage, codebook);
        return datatype with
        {
            DecoderUnit = DecoderUnitNames.Rom,
            Rtl = new RtlTables([], [IntegerUnits.Table($"POT{bits}_DECODE", codebook, datatype.UnitScale, $"pot{bits} value by code{IntegerUnits.UnitNote(datatype.UnitScale)}")]),
            StorageQuantizer = _ => IntegerUnits.GroupScaled(codebook, name, StorageGroupSize, ClipMode.AbsMax),
            StudyQuantizer = (group, clip) => IntegerUnits.GroupScaled(codebook, name, group, clip),
        };
    }

    [GeneratedRegex(@"^pot(\d{1,2})$")]
    private static partial Regex Grammar_();
}
