using System.Numerics;
using System.Runtime.CompilerServices;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Pe;

/// <summary>
/// A PE that takes <see cref="TermsPerCycle"/> signed power-of-two terms of each weight per cycle (BitMoD's unified
/// representation, Chen et al., HPCA 2025, Sec. IV): a weight costs its non-adjacent-form weight in terms, so BitMoD
/// FP3/FP4 take 2 cycles, INT6 3 and INT8 4 at one term per cycle.
/// </summary>
[ModelName("termSerial", 2, "PE_TERMS_PER_CYCLE signed power-of-two weight terms per cycle")]
public sealed record TermSerialPe(
    int DotProductWidth,
    IReadOnlyList<string> WeightTypes,
    [property: PeHeaderParameter("PE_TERMS_PER_CYCLE", "terms/cycle", "weight terms per cycle (term-serial PE; 0 otherwise)")]
    int TermsPerCycle,
    string ActivationType = "fp16",
    int AccumulatorBits = 32) : PeSpec(DotProductWidth, WeightTypes, ActivationType, AccumulatorBits)
{
    /// <summary>ceil(largest non-adjacent-form weight of the datatype's values / terms per cycle).</summary>
    /// <summary>The kind at its narrowest (one term per cycle), for listings of what each kind runs.</summary>
    public static PeSpec Reference { get; } = new TermSerialPe(1, [], TermsPerCycle: 1);

    public override int CyclesPerStep(WeightDatatype weights) =>
        (MaxTerms.GetValue(weights, w => new StrongBox<int>(w.MaxTerms)).Value + TermsPerCycle - 1) / TermsPerCycle;

    // The fast model asks for every GEMM it maps; the datatype computes MaxTerms over its whole codebook each time.
    private static readonly ConditionalWeakTable<WeightDatatype, StrongBox<int>> MaxTerms = new();

    public override string? CannotExecute(WeightDatatype weights) => weights.IsInteger ? null
        : $"'{weights.Name}' is floating point ({weights.NotIntegerReason}); a termSerial PE needs weights that are sums of signed powers of two";

    public override IPeArithmetic Arithmetic() => new Terms(TermsPerCycle);

    protected override string? ValidateKind() => TermsPerCycle is < 1 or > 16
        ? $"pe.termsPerCycle: a termSerial PE needs 1 .. 16 terms per cycle (got {TermsPerCycle})"
        : null;

    /// <summary>
    /// Peels terms off the weight's magnitude from the least significant end: skip trailing zeros, take +1 when the
    /// remainder ≡ 1 (mod 4) and −1 when ≡ 3, so no two terms are adjacent (the non-adjacent form).
    /// </summary>
    private sealed class Terms(int termsPerCycle) : IPeArithmetic
    {
        public int CyclesFor(long weight)
        {
            int terms = 0;
            for (ulong rest = Magnitude(weight); rest != 0; terms++) rest = Peel(rest >> BitOperations.TrailingZeroCount(rest));
            return Math.Max(1, (terms + termsPerCycle - 1) / termsPerCycle);
        }

        public long Dot(ReadOnlySpan<long> a, ReadOnlySpan<long> w, int cycles)
        {
            // The schedule has cycles · termsPerCycle term slots per weight; terms beyond them are never added.
            int slots = cycles * termsPerCycle;
            long acc = 0;
            for (int d = 0; d < a.Length; d++)
            {
                bool negative = w[d] < 0;
                ulong rest = Magnitude(w[d]);
                for (int taken = 0, shift = 0; rest != 0 && taken < slots; taken++)
                {
                    int zeros = BitOperations.TrailingZeroCount(rest);
                    rest >>= zeros;
                    shift += zeros;
                    bool minus = (rest & 3) == 3;
                    rest = Peel(rest);
                    long term = a[d] << shift;
                    acc += minus ^ negative ? -term : term;
                }
            }
            return acc;
        }

        private static ulong Magnitude(long w) => w < 0 ? (ulong)(-w) : (ulong)w;

        /// <summary>Removes the term at bit 0 of an odd remainder: +1 when ≡ 1 (mod 4), −1 (add one) when ≡ 3.</summary>
        private static ulong Peel(ulong odd) => (odd & 3) == 3 ? odd + 1 : odd - 1;
    }
}
