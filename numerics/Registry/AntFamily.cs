using System.Text.RegularExpressions;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// ANT's adaptive datatype (Guo et al., MICRO 2022): antN (N = 3..8) picks int, PoT or flint per tensor, with per
/// channel scales and a 2-bit type choice per tensor (both left out of the per-weight bits: ant4 = 4 bits). The PE's
/// values are every candidate type's; the flint decoder at the array edge decodes them. A width with one candidate
/// (ant8: int only) decodes as plain two's complement and needs no tables.
/// </summary>
public sealed partial class AntFamily : IDatatypeFamily
{
    public const int MinBits = 3, MaxBits = 8;

    public string Name => "ant";
    public string Grammar => $"antN ({MinBits}..{MaxBits})";
    public IReadOnlyList<string> CanonicalNames => ["ant4", "ant8"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [FlintFamily.Decoder];

    public WeightDatatype? Parse(string name)
    {
        var match = Grammar_().Match(name);
        if (!match.Success) return null;
        int bits = IntegerUnits.Width(name, match.Groups[1].Value, MinBits, MaxBits, Grammar);
        var candidates = Candidates(bits);
        var datatype = IntegerUnits.Datatype(name, Name, new StorageFormat(name, bits), [.. candidates.Select(c => c.Codebook)]);
        return datatype with
        {
            DecoderUnit = DecoderUnitNames.Rom,
            Decoder = FlintFamily.Decoder,
            PaperPe = new PaperPe("pe_ant", 2),
            Rtl = candidates.Count == 1 ? RtlTables.None : new RtlTables([],
                [.. candidates.Select(c => IntegerUnits.Table($"ANT{bits}_{c.Kind}_DECODE", c.Codebook, datatype.UnitScale, c.Description))]),
            StorageQuantizer = _ => new AntAdaptiveQuantizer(bits),
            StudyQuantizer = (_, _) => new AntAdaptiveQuantizer(bits),
        };
    }

    /// <summary>ANT's candidate types at a width, in <see cref="AntAdaptiveQuantizer"/>'s order: int; PoT up to 5 bits; flint 3..6 bits.</summary>
    private static List<(string Kind, Codebook Codebook, string Description)> Candidates(int bits)
    {
        var candidates = new List<(string, Codebook, string)> { ("INT", AntTypes.Int(bits, signed: true), $"ANT int{bits} value by code") };
        if (bits <= PotFamily.MaxBits) candidates.Add(("POT", AntTypes.PowerOfTwo(bits, signed: true), "ANT power-of-two value by code"));
        if (bits is >= AntTypes.MinFlintBits and <= AntTypes.MaxFlintBits)
            candidates.Add(("FLINT", AntTypes.Flint(bits, signed: true), "ANT flint value by code (first-one exponent)"));
        return candidates;
    }

    [GeneratedRegex(@"^ant(\d{1,2})$")]
    private static partial Regex Grammar_();
}
