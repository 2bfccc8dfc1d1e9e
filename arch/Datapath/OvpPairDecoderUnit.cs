using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Datapath;

/// <summary>
/// OliVe's outlier-victim-pair decoder (Guo et al., ISCA 2023, Sec. III): codes are read in pairs; a slot holding the
/// identifier (sign-magnitude "−0", 1 0…0) is the victim (0) of its partner, which is an abfloat outlier (sign,
/// 2 exponent bits, b−3 mantissa bits: (2^(b−3) + m) · 2^(e + 5 − (b−3))). Otherwise both slots are normals: int,
/// magnitude · 32 / 2^(b−1); or flint, whose (b−1)-bit magnitude is decoded by its first one (ANT's first-one
/// encoding, values up to 2^(2b−4)) and scaled so that it ends at 32. A tensor's normal type is its stored per-tensor
/// choice (ovp4-auto) or fixed by the datatype. Values are in OliVe's normalized units (normals end at 32).
/// </summary>
public sealed class OvpPairDecoderUnit : IWeightDecoderUnit
{
    public const string Kind = DecoderUnitNames.OvpPair;

    private readonly int bits;
    private readonly int identifier;
    private readonly int normalShift;

    private readonly bool flintNormals;

    public OvpPairDecoderUnit(int bits, OvpNormalKind normals = OvpNormalKind.Int)
    {
        if (bits != 4) throw new ArgumentOutOfRangeException(nameof(bits), bits,
            "the OVP pair decoder has 4 bits (8-bit int normals are quarter-integers in OliVe's units)");
        this.bits = bits;
        identifier = 1 << (bits - 1);
        flintNormals = normals == OvpNormalKind.Flint;
        // int: magnitude · 2^(5 − (b−1)); flint: its largest magnitude 2^(2(b−1)−2) scaled to 32 = 2^5.
        normalShift = flintNormals ? 5 - (2 * (bits - 1) - 2) : 5 - (bits - 1);
        Name = $"ovp{bits}-pair-decoder{(flintNormals ? "(flint)" : "")}";
    }

    /// <summary>The unit for a stored matrix: its OVP format's normal type (int when the codes are not OVP's).</summary>
    public static OvpPairDecoderUnit For(WeightDatatype datatype, ICodeDecoder codes) =>
        new(datatype.Storage.ElementBits, codes is OvpDecoder decoder ? decoder.Format.NormalKind : OvpNormalKind.Int);

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
        int field = code & (identifier - 1);
        long magnitude = (flintNormals ? FlintMagnitude(field) : field) << normalShift;
        return (code & identifier) != 0 ? -magnitude : magnitude;
    }

    /// <summary>
    /// Unsigned flint of B = b−1 bits: top bit 0 → the integer itself; top bit 1 then z zeros and a one →
    /// (2^k + m) · 2^(B−1+z−k) with the k = B−2−z bits after that one as m; top bit 1 and zeros → 2^(2B−2).
    /// </summary>
    private long FlintMagnitude(int field)
    {
        int magnitudeBits = bits - 1, half = 1 << (magnitudeBits - 1);
        if (field < half) return field;
        int rest = field - half;
        if (rest == 0) return 1L << (2 * magnitudeBits - 2);
        int zeros = magnitudeBits - 2 - (31 - int.LeadingZeroCount(rest));
        int mantissaBits = magnitudeBits - 2 - zeros;
        long mantissa = rest & ((1 << mantissaBits) - 1);
        return ((1L << mantissaBits) + mantissa) << (magnitudeBits - 1 + zeros - mantissaBits);
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
