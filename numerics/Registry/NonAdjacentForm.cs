namespace HwSim.Numerics.Registry;

/// <summary>A signed power-of-two term ±2^Shift of a weight: what a term-serial PE adds in one cycle.</summary>
public readonly record struct SignedTerm(bool Negative, int Shift);

/// <summary>
/// The non-adjacent form (NAF) of an integer: the signed-binary representation with no two adjacent non-zero digits,
/// which has the fewest non-zero digits of any signed-binary form (Reitwiesner 1960). A term-serial PE adds one term
/// per cycle, so a weight's NAF weight is its cost in cycles.
/// </summary>
public static class NonAdjacentForm
{
    /// <summary>The terms of <paramref name="value"/>, least significant first; their signed sum is the value.</summary>
    public static IReadOnlyList<SignedTerm> Terms(long value)
    {
        var terms = new List<SignedTerm>(4);
        bool negative = value < 0;
        // Int128 so that long.MinValue's magnitude and the n + 1 carry cannot overflow.
        Int128 n = negative ? -(Int128)value : value;
        for (int shift = 0; n != 0; shift++, n >>= 1)
        {
            if ((n & 1) == 0) continue;
            int digit = (int)(2 - (n & 3)); // +1 when n ≡ 1 (mod 4), −1 when n ≡ 3
            n -= digit;
            terms.Add(new SignedTerm(negative ^ (digit < 0), shift));
        }
        return terms;
    }
}
