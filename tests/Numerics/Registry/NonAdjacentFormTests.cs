using HwSim.Numerics.Registry;

namespace HwSim.Tests.Numerics.Registry;

/// <summary>
/// <see cref="NonAdjacentForm.Terms"/> against an independent construction of the NAF, the bit-parallel recoding
/// (Wikipedia, "Non-adjacent form"): for x ≥ 0, with xh = x >> 1, x3 = x + xh and c = xh ^ x3, the set bits of
/// x3 &amp; c are the +1 digits and those of xh &amp; c the −1 digits (7: x3 = 1010, xh = 0011, c = 1001, so
/// 7 = 8 − 1). A negative value's NAF is its magnitude's with every sign flipped.
/// </summary>
public class NonAdjacentFormTests
{
    /// <summary>The NAF digits of <paramref name="value"/> from the bit-parallel recoding, least significant first.</summary>
    private static List<SignedTerm> Reference(long value)
    {
        bool negative = value < 0;
        UInt128 x = negative ? (UInt128)(-(Int128)value) : (UInt128)value;
        UInt128 xh = x >> 1, x3 = x + xh, c = xh ^ x3;
        UInt128 plus = x3 & c, minus = xh & c;
        var terms = new List<SignedTerm>();
        for (int bit = 0; bit < 128; bit++)
        {
            if (((plus >> bit) & 1) == 1) terms.Add(new SignedTerm(negative, bit));
            if (((minus >> bit) & 1) == 1) terms.Add(new SignedTerm(!negative, bit));
        }
        return terms;
    }

    [Fact]
    public void TermsEqualTheBitParallelRecodingAroundZeroAndAtTheEndsOfLong()
    {
        var values = Enumerable.Range(-4096, 8193).Select(v => (long)v)
            .Concat([long.MaxValue, long.MaxValue - 1, long.MinValue, long.MinValue + 1, 1L << 62, -(1L << 62), (1L << 62) + 1, 0x5555_5555_5555_5555L]);
        foreach (long value in values)
            Assert.True(Reference(value).SequenceEqual(NonAdjacentForm.Terms(value)), $"value {value}");
    }

    [Fact]
    public void HandDerivedForms()
    {
        // 7 = 8 − 1; 11 = 16 − 4 − 1; −3 = −4 + 1; 2^63 (long.MinValue's magnitude) is one term; 0 has none.
        Assert.Equal([new SignedTerm(true, 0), new SignedTerm(false, 3)], NonAdjacentForm.Terms(7));
        Assert.Equal([new SignedTerm(true, 0), new SignedTerm(true, 2), new SignedTerm(false, 4)], NonAdjacentForm.Terms(11));
        Assert.Equal([new SignedTerm(false, 0), new SignedTerm(true, 2)], NonAdjacentForm.Terms(-3));
        Assert.Equal([new SignedTerm(true, 63)], NonAdjacentForm.Terms(long.MinValue));
        Assert.Equal([new SignedTerm(true, 0), new SignedTerm(false, 63)], NonAdjacentForm.Terms(long.MaxValue));
        Assert.Empty(NonAdjacentForm.Terms(0));
        Assert.Equal([new SignedTerm(false, 5)], NonAdjacentForm.Terms(32));
    }
}
