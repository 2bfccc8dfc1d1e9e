using HwSim.Numerics.Registry;

namespace HwSim.Arch.Datapath;

/// <summary>
/// BitMoD's weight decoder (Chen et al., HPCA 2025, Sec. IV): a sign-magnitude float code (FP3 E2M0 or FP4 E2M1 in
/// integer units) is converted to fixed point from its exponent and mantissa fields, except the "−0" code, which
/// reads the group's special value from a 4-entry register indexed by the group's 2-bit type id
/// (ER_POS, ER_NEG, EA_POS, EA_NEG: FP3 ±3, ±6; FP4 ±10, ±16).
/// </summary>
public sealed class BitmodDecoderUnit : IWeightDecoderUnit
{
    public const string Kind = DecoderUnitNames.Bitmod;

    private readonly int bits;
    private readonly long[] specialRegister;

    public BitmodDecoderUnit(int bits)
    {
        if (bits is not (3 or 4)) throw new ArgumentOutOfRangeException(nameof(bits), bits, "BitMoD weights have 3 or 4 bits");
        this.bits = bits;
        specialRegister = bits == 3 ? [3, -3, 6, -6] : [10, -10, 16, -16];
        Name = $"bitmod{bits}-decoder";
    }

    public string Name { get; }

    public void DecodeRow(EncodedWeights weights, int row, Span<long> values)
    {
        var codes = weights.Codes.AsSpan(row * weights.Cols, weights.Cols);
        for (int i = 0; i < codes.Length; i++) values[i] = Decode(codes[i], weights.TypeId(row, i));
    }

    public long Decode(int code, int typeId)
    {
        int signBit = 1 << (bits - 1);
        int magnitude = code & (signBit - 1);
        if (code == signBit) return specialRegister[typeId];
        long value;
        if (bits == 4)
        {
            // E2M1: exponent field e (2 bits), mantissa m (1 bit); e = 0 is subnormal (m), else (2 + m) · 2^(e−1).
            int e = magnitude >> 1, m = magnitude & 1;
            value = e == 0 ? m : (2L + m) << (e - 1);
        }
        else
        {
            // E2M0: e = 0 is zero, else 2^(e−1).
            value = magnitude == 0 ? 0 : 1L << (magnitude - 1);
        }
        return (code & signBit) != 0 ? -value : value;
    }
}
