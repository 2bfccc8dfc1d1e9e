using HwSim.Numerics.DataTypes;

namespace HwSim.Tests.Numerics;

/// <summary>
/// Codes that hold the same value: the encoder emits the smallest such code (Codebook's contract). Sign-magnitude
/// minifloats hold zero twice (+0 = code 0, −0 = code 2^(b−1)), so everything that rounds to zero encodes as +0.
/// </summary>
public class CodebookDuplicateValueTests
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
}
