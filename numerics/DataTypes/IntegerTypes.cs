namespace HwSim.Numerics.DataTypes;

/// <summary>
/// Integer codebooks. Symmetric INTb drops the most negative two's-complement code so that the grid is symmetric
/// around zero (−(2^(b−1)−1) … 2^(b−1)−1, as in GPTQ/AWQ symmetric mode); the full two's-complement range is what
/// ANT's int type uses; unsigned is the asymmetric (zero-point) form 0 … 2^b−1. Codes are two's complement or
/// plain binary; ties go to the even code (round half to even, as torch.round).
/// </summary>
public static class IntegerTypes
{
    public const int MinBits = 2;
    public const int MaxBits = 8;

    public static Codebook Symmetric(int bits) =>
        new($"int{bits}", Checked(bits), TwosComplementValues(bits, dropMostNegative: true), TieRule.EvenCode);

    public static Codebook TwosComplement(int bits) =>
        new($"int{bits}_full", Checked(bits), TwosComplementValues(bits, dropMostNegative: false), TieRule.EvenCode);

    public static Codebook Unsigned(int bits) =>
        new($"uint{bits}", Checked(bits), [.. Enumerable.Range(0, 1 << Checked(bits)).Select(c => (double)c)], TieRule.EvenCode);

    private static double[] TwosComplementValues(int bits, bool dropMostNegative)
    {
        var values = new double[1 << bits];
        int half = 1 << (bits - 1);
        for (int code = 0; code < values.Length; code++)
            values[code] = code < half ? code : code - values.Length;
        if (dropMostNegative) values[half] = double.NaN;
        return values;
    }

    private static int Checked(int bits)
    {
        if (bits is < MinBits or > MaxBits)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"integer types have {MinBits}..{MaxBits} bits");
        return bits;
    }
}
