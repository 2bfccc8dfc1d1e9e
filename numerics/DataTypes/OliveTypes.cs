namespace HwSim.Numerics.DataTypes;

/// <summary>Which normal datatype an OVP format pairs with abfloat outliers.</summary>
public enum OvpNormalKind { Int, Flint }

/// <summary>
/// OliVe's datatypes (Guo et al., ISCA 2023, arXiv 2304.07493; facts from clevercool/ANT-Quantization,
/// olive_quantization/antquant/quant_modules.py). All values are in OliVe's normalized units, in which the normal
/// codebook tops out at 32 (int: {0, ±1 … ±(2^(b−1)−1)}·32/2^(b−1); flint: scaled so its largest value is 32) and an
/// element is an outlier when its quantized magnitude exceeds 32. Normal and abfloat codes are sign-magnitude; the
/// unused "−0" code (binary 1 followed by zeros) is the OVP identifier. Ties go to the upper value, as OliVe's
/// nearest-value kernel sends them (<see cref="TieRule.UpperValue"/>).
/// </summary>
public static class OliveTypes
{
    /// <summary>Largest normal magnitude in normalized units; larger quantized values are outliers.</summary>
    public const double NormalLimit = 32;

    /// <summary>The abfloat exponent bias (values 2^e·(1 + m/2^(b−3)) for e = 5 … 8, i.e. exponent field 0 … 3).</summary>
    public const int AbfloatExponentBias = 5;

    /// <summary>OliVe's signed int: sign-magnitude {0, ±1 … ±(2^(b−1)−1)} times 32/2^(b−1).</summary>
    public static Codebook Int(int bits)
    {
        if (bits is < 3 or > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "OliVe int has 3..8 bits");
        int magnitudes = 1 << (bits - 1);
        var values = AntTypes.SignMagnitude([.. Enumerable.Range(0, magnitudes).Select(m => m * NormalLimit / magnitudes)]);
        return new Codebook($"olive_int{bits}", bits, values, TieRule.UpperValue);
    }

    /// <summary>Signed flint scaled so that its largest magnitude is 32 (flint4: {0, ±2, ±4, ±6, ±8, ±12, ±16, ±32}).</summary>
    public static Codebook Flint(int bits)
    {
        var flint = AntTypes.Flint(bits, signed: true);
        return flint.Scaled($"olive_flint{bits}", NormalLimit / flint.MaxAbs);
    }

    /// <summary>
    /// abfloat ("adaptive biased float") outliers: sign, 2 exponent bits, b−3 mantissa bits; value 2^(e+5)·(1 + m/2^(b−3)).
    /// The code with exponent and mantissa zero would be 32, which the normal type covers, so it holds no value.
    /// 4-bit: {±48, ±64, ±96, ±128, ±192, ±256, ±384}; 8-bit: 33 … 504.
    /// </summary>
    public static Codebook Abfloat(int bits)
    {
        if (bits is not (4 or 8)) throw new ArgumentOutOfRangeException(nameof(bits), bits, "abfloat has 4 or 8 bits");
        int mantissaBits = bits - 3, half = 1 << (bits - 1);
        var values = new double[1 << bits];
        for (int code = 0; code < half; code++)
        {
            int exponent = code >> mantissaBits, mantissa = code & ((1 << mantissaBits) - 1);
            double magnitude = code == 0 ? double.NaN
                : Math.ScaleB(1 + (double)mantissa / (1 << mantissaBits), exponent + AbfloatExponentBias);
            values[code] = magnitude;
            values[code + half] = -magnitude;
        }
        return new Codebook($"abfloat{bits}", bits, values, TieRule.UpperValue);
    }
}
