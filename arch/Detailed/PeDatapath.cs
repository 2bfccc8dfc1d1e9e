using System.Numerics;
using HwSim.Arch.Spec;
using HwSim.Numerics.Datatypes;

namespace HwSim.Arch.Detailed;

/// <summary>
/// The arithmetic of one PE for one dot-product step, cycle by cycle: a bit-parallel PE multiplies each weight
/// whole in one cycle; a bit-serial PE adds (a · digit) shifted into place for one two's-complement digit per cycle
/// (the top digit signed); a term-serial PE peels signed power-of-two terms off the weight from the least
/// significant end (non-adjacent form: skip trailing zeros, take +1 when the remainder ≡ 1 mod 4, −1 when ≡ 3) and
/// adds ±(a shifted) for each. Within a step the cycles touch only the PE's own accumulator, so they run here as one
/// loop per PE.
/// </summary>
public sealed class PeDatapath
{
    private readonly PeKind kind;
    private readonly int bitsPerCycle;
    private readonly int termsPerCycle;

    public PeDatapath(PeSpec pe, WeightDatatype weights)
    {
        kind = pe.Kind;
        bitsPerCycle = pe.BitsPerCycle;
        termsPerCycle = pe.TermsPerCycle;
        CyclesPerStep = Timing.ArrayTiming.CyclesPerStep(pe, weights);
    }

    public int CyclesPerStep { get; }

    /// <summary>Σ a[d] · w[d] over one step of <see cref="CyclesPerStep"/> cycles.</summary>
    public long DotStep(ReadOnlySpan<long> a, ReadOnlySpan<long> w)
    {
        long acc = 0;
        switch (kind)
        {
            case PeKind.BitParallel:
                for (int d = 0; d < a.Length; d++) acc += a[d] * w[d];
                return acc;
            case PeKind.BitSerial:
                for (int d = 0; d < a.Length; d++) acc += BitSerial(a[d], w[d]);
                return acc;
            default:
                for (int d = 0; d < a.Length; d++) acc += TermSerial(a[d], w[d]);
                return acc;
        }
    }

    private long BitSerial(long a, long w)
    {
        long acc = 0;
        long mask = (1L << bitsPerCycle) - 1;
        int last = CyclesPerStep - 1;
        for (int cycle = 0; cycle < last; cycle++)
        {
            int shift = cycle * bitsPerCycle;
            acc += (a * ((w >> shift) & mask)) << shift;
        }
        int top = last * bitsPerCycle;
        acc += (a * (w >> top)) << top;
        return acc;
    }

    private long TermSerial(long a, long w)
    {
        // CyclesPerStep · TermsPerCycle term slots; the NAF weight of every value of the datatype fits them.
        long acc = 0;
        bool negative = w < 0;
        ulong rest = negative ? (ulong)(-w) : (ulong)w;
        int shift = 0, slots = CyclesPerStep * termsPerCycle;
        for (int taken = 0; rest != 0; taken++)
        {
            if (taken == slots)
                throw new InvalidOperationException($"weight {w} needs more than {CyclesPerStep} cycles of {termsPerCycle} term(s)");
            int zeros = BitOperations.TrailingZeroCount(rest);
            rest >>= zeros;
            shift += zeros;
            bool minus = (rest & 3) == 3;
            rest = minus ? rest + 1 : rest - 1;
            long term = a << shift;
            acc += minus ^ negative ? -term : term;
        }
        return acc;
    }
}
