using HwSim.Numerics.Registry;

namespace HwSim.Arch.Datapath;

/// <summary>
/// OliVe's outlier-victim-pair decoder (Guo et al., ISCA 2023, Sec. III) for int normals: codes are read in pairs;
/// a slot holding the identifier (sign-magnitude "−0", 1 0…0) is the victim (0) of its partner, which is an abfloat
/// outlier (sign, 2 exponent bits, b−3 mantissa bits: (2^(b−3) + m) · 2^(e + 5 − (b−3))). Otherwise both slots are
/// int normals, magnitude · 32 / 2^(b−1). Values are in OliVe's normalized units (normals end at 32).
/// </summary>
public sealed class OvpPairDecoderUnit : IWeightDecoderUnit
{
    public const string Kind = DecoderUnitNames.OvpPair;

    private readonly int bits;
    private readonly int identifier;
    private readonly int normalShift;

    public OvpPairDecoderUnit(int bits)
    {
        if (bits != 4) throw new ArgumentOutOfRangeException(nameof(bits), bits,
            "the integer OVP decoder has 4 bits (8-bit int normals are quarter-integers in OliVe's units)");
        this.bits = bits;
        identifier = 1 << (bits - 1);
        normalShift = 5 - (bits - 1);
        Name = $"ovp{bits}-pair-decoder";
    }

    /// <summary>
    /// A code pair goes in on one clock edge and its value pair comes out registered on the next, one pair per cycle.
    /// The array timing does not charge it: the edge decoders run ahead of the feeders on the weight stream.
    /// </summary>
    public const int LatencyCycles = 1;

    public string Name { get; }

    public void DecodeRow(EncodedWeights weights, int row, Span<long> values)
    {
        var codes = weights.Codes.AsSpan(row * weights.Cols, weights.Cols);
        int i = 0;
        for (; i + 1 < codes.Length; i += 2)
        {
            int first = codes[i], second = codes[i + 1];
            if (first == identifier && second == identifier)
                throw new InvalidDataException($"{Name}: row {row}, pair {i / 2} holds two identifiers");
            if (second == identifier) (values[i], values[i + 1]) = (Outlier(first), 0);
            else if (first == identifier) (values[i], values[i + 1]) = (0, Outlier(second));
            else (values[i], values[i + 1]) = (Normal(first), Normal(second));
        }
        if (i < codes.Length) values[i] = Normal(codes[i]);
    }

    private long Normal(int code)
    {
        long magnitude = (long)(code & (identifier - 1)) << normalShift;
        return (code & identifier) != 0 ? -magnitude : magnitude;
    }

    private long Outlier(int code)
    {
        int mantissaBits = bits - 3, field = code & (identifier - 1);
        int exponent = field >> mantissaBits, mantissa = field & ((1 << mantissaBits) - 1);
        if (field == 0) throw new InvalidDataException($"{Name}: abfloat code {code} holds no value");
        long magnitude = ((1L << mantissaBits) + mantissa) << (exponent + 5 - mantissaBits);
        return (code & identifier) != 0 ? -magnitude : magnitude;
    }
}
