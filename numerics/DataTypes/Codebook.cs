namespace HwSim.Numerics.DataTypes;

/// <summary>Which neighbour an input exactly halfway between two codebook values goes to.</summary>
public enum TieRule
{
    /// <summary>The lower value (first index in ascending order): the argmin rule of the BitMoD quantizer.</summary>
    LowerValue,

    /// <summary>
    /// The upper value: the nearest-value kernels of ANT and OliVe scan the ascending grid and keep the last value with
    /// the smallest distance (<c>if (sub_v &lt;= sub_min)</c> in clevercool/ANT-Quantization @bc84067,
    /// ant_quantization/quant/quant_kernel.cu and olive_quantization/quant/quant_kernel.cu).
    /// </summary>
    UpperValue,

    /// <summary>The value whose code is even (IEEE roundTiesToEven; torch.round for integers); lower value if both or neither.</summary>
    EvenCode,
}

/// <summary>A value as the integer form a datapath multiplies with: <c>Mantissa · 2^Exponent</c>, mantissa odd or zero.</summary>
public readonly record struct IntegerTerm(long Mantissa, int Exponent)
{
    public double Value => Math.ScaleB(Mantissa, Exponent);

    /// <summary>Decomposes a finite double; every codebook value is a dyadic rational, so this is exact.</summary>
    public static IntegerTerm Of(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "not finite");
        if (value == 0) return new IntegerTerm(0, 0);
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biasedExponent = (int)((bits >> 52) & 0x7FF);
        long significand = bits & 0xF_FFFF_FFFF_FFFFL;
        int exponent;
        if (biasedExponent == 0) exponent = -1074;
        else
        {
            significand |= 1L << 52;
            exponent = biasedExponent - 1075;
        }
        int trailing = (int)long.TrailingZeroCount(significand);
        significand >>= trailing;
        exponent += trailing;
        return new IntegerTerm(value < 0 ? -significand : significand, exponent);
    }
}

/// <summary>
/// A scalar datatype of at most 8 bits given by its table of values indexed by code. Codes that hold no number (a
/// reserved identifier, NaN, ±Inf) are NaN or infinite in the table and are never produced by <see cref="Encode"/>.
/// When two codes hold the same value (+0 and −0 of sign-magnitude types) the encoder emits the smaller code.
/// Encoding returns the nearest finite value; inputs beyond the range saturate to the extreme values.
/// </summary>
public sealed class Codebook
{
    private readonly double[] _valueByCode;
    private readonly double[] _sorted;
    private readonly byte[] _codeOfSorted;
    private readonly double[] _thresholds;
    private readonly bool[] _tieGoesUp;

    public Codebook(string name, int bits, IReadOnlyList<double> valueByCode, TieRule tieRule)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 8);
        if (valueByCode.Count != 1 << bits)
            throw new ArgumentException($"{name}: {bits} bits need {1 << bits} code values, got {valueByCode.Count}", nameof(valueByCode));
        Name = name;
        Bits = bits;
        TieRule = tieRule;
        _valueByCode = [.. valueByCode];
        var finite = Enumerable.Range(0, 1 << bits).Where(c => double.IsFinite(_valueByCode[c]))
            .GroupBy(c => _valueByCode[c]).Select(g => (Value: g.Key, Code: g.Min())).OrderBy(p => p.Value).ToArray();
        if (finite.Length < 2) throw new ArgumentException($"{name}: needs at least two distinct finite values", nameof(valueByCode));
        _sorted = [.. finite.Select(p => p.Value)];
        _codeOfSorted = [.. finite.Select(p => (byte)p.Code)];
        _thresholds = new double[_sorted.Length - 1];
        _tieGoesUp = new bool[_sorted.Length - 1];
        for (int i = 0; i < _thresholds.Length; i++)
        {
            _thresholds[i] = (_sorted[i] + _sorted[i + 1]) / 2;
            bool lowerEven = _codeOfSorted[i] % 2 == 0, upperEven = _codeOfSorted[i + 1] % 2 == 0;
            _tieGoesUp[i] = tieRule == TieRule.UpperValue || (tieRule == TieRule.EvenCode && upperEven && !lowerEven);
        }
        MaxAbs = Math.Max(-_sorted[0], _sorted[^1]);
    }

    public string Name { get; }
    public int Bits { get; }
    public TieRule TieRule { get; }
    public int CodeCount => 1 << Bits;

    /// <summary>Largest magnitude; a scale maps a tensor's clipping value onto it.</summary>
    public double MaxAbs { get; }

    public double MinValue => _sorted[0];
    public double MaxValue => _sorted[^1];

    /// <summary>Distinct finite values, ascending.</summary>
    public ReadOnlySpan<double> SortedValues => _sorted;

    /// <summary>The code <see cref="Encode"/> emits for each entry of <see cref="SortedValues"/>.</summary>
    public ReadOnlySpan<byte> SortedCodes => _codeOfSorted;

    /// <summary>Midpoints between consecutive sorted values.</summary>
    public ReadOnlySpan<double> Thresholds => _thresholds;

    /// <summary>Whether an input exactly on threshold i goes to sorted value i + 1.</summary>
    public ReadOnlySpan<bool> TieGoesUp => _tieGoesUp;

    public bool IsValue(int code) => (uint)code < (uint)CodeCount && double.IsFinite(_valueByCode[code]);

    public double Decode(int code)
    {
        if ((uint)code >= (uint)CodeCount)
            throw new ArgumentOutOfRangeException(nameof(code), code, $"not a {Bits}-bit {Name} code");
        return _valueByCode[code];
    }

    /// <summary>The integer mantissa and power of two of a code's value, as a shift-and-add datapath uses it.</summary>
    public IntegerTerm IntegerForm(int code) => IntegerTerm.Of(Decode(code));

    /// <summary>Index into <see cref="SortedValues"/> of the value nearest to <paramref name="x"/> under the tie rule.</summary>
    public int NearestIndex(double x)
    {
        if (double.IsNaN(x)) throw new ArgumentException($"{Name}: cannot encode NaN", nameof(x));
        int low = 0, high = _thresholds.Length; // answer in [low, high]
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            double t = _thresholds[mid];
            if (x > t || (x == t && _tieGoesUp[mid])) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    public int Encode(double x) => _codeOfSorted[NearestIndex(x)];

    public double Quantize(double x) => _sorted[NearestIndex(x)];

    /// <summary>A codebook with the same codes and every value multiplied by <paramref name="factor"/>.</summary>
    public Codebook Scaled(string name, double factor) =>
        new(name, Bits, [.. _valueByCode.Select(v => v * factor)], TieRule);

    public override string ToString() => Name;
}
