namespace HwSim.Numerics.DataTypes;

/// <summary>
/// BitMoD's weight datatypes (Chen et al., HPCA 2025, arXiv 2411.11745, Sec. III). A 3- or 4-bit sign-magnitude
/// float (FP3 E2M0 {0, ±1, ±2, ±4}; FP4 E2M1 in integer units {0, ±1, ±2, ±3, ±4, ±6, ±8, ±12}, the public code's
/// grid = the paper's grid × 2) whose redundant "−0" code holds one special value: extra resolution (ER: ±3 for FP3,
/// ±10 for FP4) or extra asymmetric range (EA: ±6 for FP3, ±16 for FP4). The type id stored per group (2 bits) is the
/// index into <see cref="Candidates"/>: ER_POS, ER_NEG, EA_POS, EA_NEG. Ties go to the lower value.
/// </summary>
public static class BitmodTypes
{
    public static readonly IReadOnlyList<string> CandidateNames = ["er_pos", "er_neg", "ea_pos", "ea_neg"];

    /// <summary>The four candidate codebooks of a width, in type-id order.</summary>
    public static IReadOnlyList<Codebook> Candidates(int bits) => bits switch
    {
        3 => Three,
        4 => Four,
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "BitMoD datatypes have 3 or 4 bits"),
    };

    /// <summary>The special value of each candidate, in type-id order (the 4-entry register of the paper's PE).</summary>
    public static IReadOnlyList<double> SpecialValues(int bits) => bits switch
    {
        3 => [3, -3, 6, -6],
        4 => [10, -10, 16, -16],
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "BitMoD datatypes have 3 or 4 bits"),
    };

    /// <summary>The code that holds the special value: the sign-magnitude "−0".</summary>
    public static int SpecialCode(int bits) => 1 << (bits - 1);

    /// <summary>The base float without its special value (FP3 E2M0 or FP4 E2M1, integer units).</summary>
    public static Codebook BaseFloat(int bits) => bits switch
    {
        3 => Build("fp3", 3, double.NaN),
        4 => Build("fp4", 4, double.NaN),
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "BitMoD datatypes have 3 or 4 bits"),
    };

    private static readonly Codebook[] Three = BuildCandidates(3);
    private static readonly Codebook[] Four = BuildCandidates(4);

    private static Codebook[] BuildCandidates(int bits)
    {
        var specials = SpecialValues(bits);
        return [.. CandidateNames.Select((name, id) => Build($"bitmod{bits}_{name}", bits, specials[id]))];
    }

    private static Codebook Build(string name, int bits, double special)
    {
        double[] magnitudes = bits == 3 ? [0, 1, 2, 4] : [0, 1, 2, 3, 4, 6, 8, 12];
        var values = AntTypes.SignMagnitude(magnitudes);
        values[SpecialCode(bits)] = special;
        return new Codebook(name, bits, values, TieRule.LowerValue);
    }
}
