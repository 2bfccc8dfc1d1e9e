namespace HwSim.Numerics.DataTypes;

/// <summary>
/// ANT's datatypes (Guo et al., MICRO 2022, arXiv 2208.14286; codebooks as read from clevercool/ANT-Quantization).
/// Signed types are sign-magnitude: code = sign·2^(b−1) | magnitude code, the "−0" code is unused. Values are in
/// integer grid units; ANT's quantizer maps the clipping value onto the largest positive value of the grid (scale =
/// alpha / max(quant_grid), ant_quantization/antquant/quant_modules.py <c>_forward</c>, clevercool/ANT-Quantization
/// @bc84067), so int4's extra −8 sits at −8/7 of the clip. Ties go to the upper value, as ANT's nearest-value kernel
/// sends them (<see cref="TieRule.UpperValue"/>).
/// </summary>
public static class AntTypes
{
    public const int MinFlintBits = 3;
    public const int MaxFlintBits = 6;

    /// <summary>
    /// flint ("float-int") with first-one exponent encoding. Unsigned b bits: top bit 0 → the integers 0 … 2^(b−1)−1;
    /// top bit 1 followed by z zeros and a one → 2^(b−1+z)·(1 + m/2^(b−2−z)) with the remaining b−2−z bits as m;
    /// top bit 1 and all zeros → 2^(2b−2). Unsigned flint4 = {0…7, 8, 10, 12, 14, 16, 24, 32, 64}; signed flint4 =
    /// sign + unsigned flint3 = {0, ±1, ±2, ±3, ±4, ±6, ±8, ±16}.
    /// </summary>
    public static Codebook Flint(int bits, bool signed)
    {
        if (bits is < MinFlintBits or > MaxFlintBits)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"flint has {MinFlintBits}..{MaxFlintBits} bits");
        var magnitudes = UnsignedFlint(signed ? bits - 1 : bits);
        return new Codebook($"flint{bits}{(signed ? "" : "u")}", bits, signed ? SignMagnitude(magnitudes) : magnitudes, TieRule.UpperValue);
    }

    /// <summary>Power of two: 0 and ±2^0 … ±2^(2^(b−1)−2) signed (PoT4 = {0, ±1 … ±64}); 0, 2^0 … 2^(2^b−2) unsigned.</summary>
    public static Codebook PowerOfTwo(int bits, bool signed)
    {
        if (bits is < 2 or > 5) throw new ArgumentOutOfRangeException(nameof(bits), bits, "PoT has 2..5 bits");
        int magnitudeBits = signed ? bits - 1 : bits;
        var magnitudes = Enumerable.Range(0, 1 << magnitudeBits).Select(c => c == 0 ? 0.0 : Math.ScaleB(1, c - 1)).ToArray();
        return new Codebook($"pot{bits}{(signed ? "" : "u")}", bits, signed ? SignMagnitude(magnitudes) : magnitudes, TieRule.UpperValue);
    }

    /// <summary>ANT's int: full two's complement when signed (int4 includes −8), 0 … 2^b−1 unsigned.</summary>
    public static Codebook Int(int bits, bool signed)
    {
        var source = signed ? IntegerTypes.TwosComplement(bits) : IntegerTypes.Unsigned(bits);
        return new Codebook($"antint{bits}{(signed ? "" : "u")}", bits,
            [.. Enumerable.Range(0, 1 << bits).Select(source.Decode)], TieRule.UpperValue);
    }

    internal static double[] UnsignedFlint(int bits)
    {
        var values = new double[1 << bits];
        int half = 1 << (bits - 1);
        for (int code = 0; code < values.Length; code++)
        {
            if (code < half) { values[code] = code; continue; }
            int rest = code - half, restBits = bits - 1;
            if (rest == 0) { values[code] = Math.ScaleB(1, 2 * bits - 2); continue; }
            int zeros = restBits - 1 - (31 - int.LeadingZeroCount(rest)); // zeros before the first one
            int mantissaBits = bits - 2 - zeros;
            int mantissa = rest & ((1 << mantissaBits) - 1);
            values[code] = Math.ScaleB(1, bits - 1 + zeros) * (1 + (double)mantissa / (1 << mantissaBits));
        }
        return values;
    }

    internal static double[] SignMagnitude(IReadOnlyList<double> magnitudes)
    {
        var values = new double[2 * magnitudes.Count];
        for (int code = 0; code < magnitudes.Count; code++)
        {
            values[code] = magnitudes[code];
            values[code + magnitudes.Count] = code == 0 ? double.NaN : -magnitudes[code];
        }
        return values;
    }
}
