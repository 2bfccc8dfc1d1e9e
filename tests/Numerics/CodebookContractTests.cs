using HwSim.Numerics.DataTypes;

namespace HwSim.Tests.Numerics;

/// <summary>
/// Codebook's stated contract beyond nearest-value encoding: codes that hold the same value encode as the smallest
/// such code (sign-magnitude minifloats hold zero twice, +0 = code 0 and −0 = code 2^(b−1), so everything that rounds
/// to zero encodes as +0); one tie flag per threshold; the reason a non-finite value has no integer form.
/// </summary>
public class CodebookContractTests
{
    [Fact]
    public void MinifloatZeroEncodesAsPlusZero()
    {
        // FP4 E2M1: code 0000 is +0 and 1000 is −0 (OCP MX v1.0, sign bit on top); the smallest magnitude is 0.5,
        // so inputs below 0.25 in magnitude round to zero.
        var fp4 = MiniFloat.Fp4E2M1.ToCodebook();
        Assert.Equal(0.0, fp4.Decode(0b1000));
        Assert.Equal(0, fp4.Encode(0.0));
        Assert.Equal(0, fp4.Encode(-0.0));
        Assert.Equal(0, fp4.Encode(-0.2));
        Assert.Contains((byte)0, fp4.SortedCodes.ToArray());
        Assert.DoesNotContain((byte)0b1000, fp4.SortedCodes.ToArray());
        // FP8 E4M3: −0 is 0x80.
        Assert.Equal(0, MiniFloat.Fp8E4M3.ToCodebook().Encode(-1e-9));
    }

    [Fact]
    public void AnyRepeatedValueEncodesAsItsSmallestCode()
    {
        // Codes 0 and 2 both hold 5, codes 1 and 3 hold 1 and 0.
        var book = new Codebook("dup", 2, [5.0, 1, 5, 0], TieRule.LowerValue);
        Assert.Equal([0.0, 1, 5], book.SortedValues.ToArray());
        Assert.Equal([3, 1, 0], book.SortedCodes.ToArray().Select(c => (int)c));
        Assert.Equal(0, book.Encode(4.9));
    }

    [Fact]
    public void OneTieFlagPerThreshold()
    {
        // Symmetric INT4: 15 values, 14 midpoints; ANT's flint4 (ties up): 15 values, every flag set.
        var int4 = IntegerTypes.Symmetric(4);
        Assert.Equal((14, 14), (int4.Thresholds.Length, int4.TieGoesUp.Length));
        var flint4 = AntTypes.Flint(4, signed: true);
        Assert.Equal(Enumerable.Repeat(true, 14), flint4.TieGoesUp.ToArray());
        // Round half to even on two's-complement codes: 0.5 lies between codes 0 (0) and 1 (1) and goes down;
        // 1.5 between codes 1 and 2 goes up; −0.5 between codes 15 (−1) and 0 (0) goes up.
        var flags = int4.TieGoesUp.ToArray();
        var thresholds = int4.Thresholds.ToArray();
        Assert.Equal((false, true, true), (flags[Array.IndexOf(thresholds, 0.5)], flags[Array.IndexOf(thresholds, 1.5)], flags[Array.IndexOf(thresholds, -0.5)]));
    }

    [Fact]
    public void NonFiniteValuesHaveNoIntegerForm()
    {
        Assert.StartsWith("not finite", Assert.Throws<ArgumentOutOfRangeException>(() => IntegerTerm.Of(double.PositiveInfinity)).Message);
        Assert.StartsWith("not finite", Assert.Throws<ArgumentOutOfRangeException>(() => IntegerTerm.Of(double.NaN)).Message);
    }
}
