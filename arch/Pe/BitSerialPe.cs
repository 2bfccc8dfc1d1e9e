using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Pe;

/// <summary>
/// A PE that takes <see cref="BitsPerCycle"/> two's-complement weight bits per cycle, least significant digit first,
/// the top digit signed (Stripes, Judd et al., MICRO 2016; BitMoD's public simulator at two bits per cycle).
/// </summary>
[ModelName("bitSerial", 1, "PE_BITS_PER_CYCLE two's-complement weight bits per cycle")]
public sealed record BitSerialPe(
    int DotProductWidth,
    IReadOnlyList<string> WeightTypes,
    [property: PeHeaderParameter("PE_BITS_PER_CYCLE", "bits/cycle", "weight bits per cycle (bit-serial PE; 0 otherwise)")]
    int BitsPerCycle,
    string ActivationType = "fp16",
    int AccumulatorBits = 32) : PeSpec(DotProductWidth, WeightTypes, ActivationType, AccumulatorBits)
{
    /// <summary>ceil(two's-complement width of the datatype / bits per cycle).</summary>
    /// <summary>The kind at its narrowest (one bit per cycle), for listings of what each kind runs.</summary>
    public static PeSpec Reference { get; } = new BitSerialPe(1, [], BitsPerCycle: 1);

    public override int CyclesPerStep(WeightDatatype weights) => (weights.TwosComplementBits + BitsPerCycle - 1) / BitsPerCycle;

    public override string? CannotExecute(WeightDatatype weights) => weights.IsInteger ? null
        : $"'{weights.Name}' is floating point ({weights.NotIntegerReason}); a bitSerial PE walks the two's-complement digits of integer weights";

    public override IPeArithmetic Arithmetic() => new Digits(BitsPerCycle);

    protected override string? ValidateKind() => BitsPerCycle is < 1 or > 16
        ? $"pe.bitsPerCycle: a bitSerial PE needs 1 .. 16 bits per cycle (got {BitsPerCycle})"
        : null;

    /// <summary>One b-bit digit per cycle: unsigned digits, then the top digit sign-extended from its b bits.</summary>
    private sealed class Digits(int bits) : IPeArithmetic
    {
        private readonly long mask = (1L << bits) - 1;

        public int CyclesFor(long weight)
        {
            // Shift digits off until what is left is one signed b-bit digit.
            int cycles = 1;
            for (long rest = weight; rest < -(1L << (bits - 1)) || rest >= 1L << (bits - 1); rest >>= bits) cycles++;
            return cycles;
        }

        public long Dot(ReadOnlySpan<long> a, ReadOnlySpan<long> w, int cycles)
        {
            long acc = 0;
            int top = (cycles - 1) * bits;
            for (int d = 0; d < a.Length; d++)
            {
                for (int cycle = 0; cycle < cycles - 1; cycle++)
                {
                    int shift = cycle * bits;
                    acc += (a[d] * ((w[d] >> shift) & mask)) << shift;
                }
                long digit = (w[d] >> top) & mask;
                long signedDigit = digit >= 1L << (bits - 1) ? digit - (1L << bits) : digit;
                acc += (a[d] * signedDigit) << top;
            }
            return acc;
        }
    }
}
