namespace HwSim.Numerics.DataTypes;

/// <summary>How a floating-point format spends its top codes on special values.</summary>
public enum FloatSpecials
{
    /// <summary>IEEE 754: exponent all ones is ±Inf (mantissa 0) or NaN; overflow rounds to Inf.</summary>
    Ieee,

    /// <summary>OCP FP8 E4M3 ("fn"): only exponent and mantissa all ones is NaN; no Inf; overflow saturates.</summary>
    NanOnlyAllOnes,

    /// <summary>OCP MX FP6/FP4: every code is a finite number; overflow and ±Inf saturate to ±max.</summary>
    None,
}

/// <summary>
/// A signed binary floating-point format with E exponent bits, M mantissa bits, a bias and a special-value rule:
/// code = sign · 2^(E+M) | exponent · 2^M | mantissa; normal value (1 + m/2^M)·2^(e − bias), subnormal (e = 0)
/// (m/2^M)·2^(1 − bias). Encoding rounds to nearest, ties to even (IEEE 754 roundTiesToEven), which makes FP16
/// bit-exact with <see cref="Half"/>. Formats from IEEE 754-2019 (FP16), the bfloat16 definition (BF16) and the
/// OCP 8-bit floating point and Microscaling (MX) v1.0 specifications (E4M3, E5M2, E2M3, E3M2, E2M1).
/// </summary>
public sealed record MiniFloat
{
    public MiniFloat(string name, int exponentBits, int mantissaBits, int bias, FloatSpecials specials)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exponentBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exponentBits, 8);
        ArgumentOutOfRangeException.ThrowIfNegative(mantissaBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mantissaBits, 23);
        if (specials == FloatSpecials.NanOnlyAllOnes && mantissaBits == 0)
            throw new ArgumentException("an all-ones NaN needs at least one mantissa bit", nameof(specials));
        Name = name;
        ExponentBits = exponentBits;
        MantissaBits = mantissaBits;
        Bias = bias;
        Specials = specials;
        int maxExponentField = (1 << exponentBits) - (specials == FloatSpecials.Ieee ? 2 : 1);
        int maxMantissa = (1 << mantissaBits) - (specials == FloatSpecials.NanOnlyAllOnes ? 2 : 1);
        MaxFinite = Math.ScaleB(1 + (double)maxMantissa / (1 << mantissaBits), maxExponentField - bias);
        MinNormalExponent = 1 - bias;
    }

    public static readonly MiniFloat Fp16 = new("fp16", 5, 10, 15, FloatSpecials.Ieee);
    public static readonly MiniFloat Bf16 = new("bf16", 8, 7, 127, FloatSpecials.Ieee);
    public static readonly MiniFloat Fp8E5M2 = new("fp8_e5m2", 5, 2, 15, FloatSpecials.Ieee);
    public static readonly MiniFloat Fp8E4M3 = new("fp8_e4m3", 4, 3, 7, FloatSpecials.NanOnlyAllOnes);
    public static readonly MiniFloat Fp6E3M2 = new("fp6_e3m2", 3, 2, 3, FloatSpecials.None);
    public static readonly MiniFloat Fp6E2M3 = new("fp6_e2m3", 2, 3, 1, FloatSpecials.None);
    public static readonly MiniFloat Fp4E2M1 = new("fp4_e2m1", 2, 1, 1, FloatSpecials.None);

    /// <summary>FP3 E2M0 (BitMoD's FP3 before scaling: {0, ±1, ±2, ±4}).</summary>
    public static readonly MiniFloat Fp3E2M0 = new("fp3_e2m0", 2, 0, 1, FloatSpecials.None);

    /// <summary>Every format of at most 8 bits, the ones a codebook lookup can encode.</summary>
    public static IReadOnlyList<MiniFloat> SmallFormats { get; } = [Fp8E5M2, Fp8E4M3, Fp6E3M2, Fp6E2M3, Fp4E2M1, Fp3E2M0];

    public string Name { get; }
    public int ExponentBits { get; }
    public int MantissaBits { get; }
    public int Bias { get; }
    public FloatSpecials Specials { get; }
    public int Bits => 1 + ExponentBits + MantissaBits;
    public double MaxFinite { get; }
    public int MinNormalExponent { get; }

    private int SignShift => ExponentBits + MantissaBits;
    private uint ExponentAllOnes => (1u << ExponentBits) - 1;
    private uint MantissaMask => (1u << MantissaBits) - 1;

    public bool IsNaN(uint code)
    {
        uint exponent = (code >> MantissaBits) & ExponentAllOnes, mantissa = code & MantissaMask;
        return Specials switch
        {
            FloatSpecials.Ieee => exponent == ExponentAllOnes && mantissa != 0,
            FloatSpecials.NanOnlyAllOnes => exponent == ExponentAllOnes && mantissa == MantissaMask,
            _ => false,
        };
    }

    /// <summary>The exact value of <paramref name="code"/> (every value of these formats is a double).</summary>
    public double Decode(uint code)
    {
        if (code >> Bits != 0) throw new ArgumentOutOfRangeException(nameof(code), code, $"not a {Bits}-bit {Name} code");
        bool negative = (code >> SignShift) != 0;
        uint exponent = (code >> MantissaBits) & ExponentAllOnes, mantissa = code & MantissaMask;
        if (IsNaN(code)) return double.NaN;
        double magnitude;
        if (Specials == FloatSpecials.Ieee && exponent == ExponentAllOnes) magnitude = double.PositiveInfinity;
        else if (exponent == 0) magnitude = Math.ScaleB(mantissa, MinNormalExponent - MantissaBits);
        else magnitude = Math.ScaleB((1u << MantissaBits) | mantissa, (int)exponent - Bias - MantissaBits);
        return negative ? -magnitude : magnitude;
    }

    /// <summary>
    /// Rounds <paramref name="value"/> to the nearest representable value, ties to even mantissa. Beyond the largest
    /// finite value IEEE formats give ±Inf (from max + ½ulp on) and the others saturate to ±max; NaN maps to the
    /// format's NaN and fails for formats without one.
    /// </summary>
    public uint Encode(double value)
    {
        uint sign = double.IsNegative(value) ? 1u << SignShift : 0;
        if (double.IsNaN(value))
        {
            return Specials switch
            {
                FloatSpecials.Ieee => (ExponentAllOnes << MantissaBits) | (1u << Math.Max(MantissaBits - 1, 0)),
                FloatSpecials.NanOnlyAllOnes => (ExponentAllOnes << MantissaBits) | MantissaMask,
                _ => throw new ArgumentException($"{Name} has no NaN", nameof(value)),
            };
        }
        double magnitude = Math.Abs(value);
        if (magnitude == 0) return sign;
        // Quantization step of the binade holding the value (subnormal binade below the smallest normal).
        int exponent = double.IsInfinity(magnitude) ? int.MaxValue : Math.Max(Math.ILogB(magnitude), MinNormalExponent);
        double rounded = double.IsInfinity(magnitude) ? magnitude
            : Math.ScaleB(Math.Round(Math.ScaleB(magnitude, MantissaBits - exponent), MidpointRounding.ToEven), exponent - MantissaBits);
        if (rounded > MaxFinite)
        {
            if (Specials == FloatSpecials.Ieee) return sign | (ExponentAllOnes << MantissaBits);
            rounded = MaxFinite;
        }
        return sign | MagnitudeCode(rounded);
    }

    public double Quantize(double value) => Decode(Encode(value));

    private uint MagnitudeCode(double magnitude)
    {
        if (magnitude == 0) return 0;
        int exponent = Math.ILogB(magnitude);
        if (exponent < MinNormalExponent) return (uint)Math.ScaleB(magnitude, MantissaBits - MinNormalExponent);
        uint significand = (uint)Math.ScaleB(magnitude, MantissaBits - exponent);
        return ((uint)(exponent + Bias) << MantissaBits) | (significand & MantissaMask);
    }

    /// <summary>Every finite non-negative value, ascending (the positive half of the codebook).</summary>
    public IReadOnlyList<double> NonNegativeValues()
    {
        var values = new List<double>();
        for (uint code = 0; code < 1u << SignShift; code++)
        {
            double v = Decode(code);
            if (double.IsFinite(v)) values.Add(v);
        }
        return values;
    }

    /// <summary>
    /// The format as a codebook (formats of at most 8 bits). Ties go to the even code, which is round-to-nearest-even
    /// on the mantissa; unlike <see cref="Encode"/>, the codebook saturates at ±max instead of producing ±Inf and
    /// emits +0 for inputs that round to zero.
    /// </summary>
    public Codebook ToCodebook()
    {
        if (Bits > 8) throw new InvalidOperationException($"{Name} has {Bits} bits; codebooks hold at most 8");
        return new Codebook(Name, Bits, [.. Enumerable.Range(0, 1 << Bits).Select(c => Decode((uint)c))], TieRule.EvenCode);
    }

    public override string ToString() => Name;
}
