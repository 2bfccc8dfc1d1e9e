using HwSim.Numerics.DataTypes;

namespace HwSim.Tests.Numerics;

/// <summary>
/// The datatype constructors' limits at both ends, their names, and their messages; the exact-decomposition helper
/// <see cref="IntegerTerm.Of"/> on subnormal doubles (the bits of the IEEE binary64 layout, worked out by hand).
/// </summary>
public class DataTypeGuardTests
{
    private static string OutOfRange(Action action) => Assert.Throws<ArgumentOutOfRangeException>(action).Message;

    [Fact]
    public void WidthsAreCheckedAtBothEnds()
    {
        Assert.StartsWith("flint has 3..6 bits", OutOfRange(() => AntTypes.Flint(2, signed: true)));
        Assert.StartsWith("flint has 3..6 bits", OutOfRange(() => AntTypes.Flint(7, signed: false)));
        Assert.Equal(8, AntTypes.Flint(3, signed: true).CodeCount);
        Assert.Equal(64, AntTypes.Flint(6, signed: true).CodeCount);
        Assert.StartsWith("PoT has 2..5 bits", OutOfRange(() => AntTypes.PowerOfTwo(1, signed: true)));
        Assert.StartsWith("PoT has 2..5 bits", OutOfRange(() => AntTypes.PowerOfTwo(6, signed: true)));
        Assert.Equal([-1.0, 0, 1], AntTypes.PowerOfTwo(2, signed: true).SortedValues.ToArray());
        Assert.Equal(32, AntTypes.PowerOfTwo(5, signed: true).CodeCount);
        Assert.StartsWith("integer types have 2..8 bits", OutOfRange(() => IntegerTypes.Symmetric(1)));
        Assert.StartsWith("integer types have 2..8 bits", OutOfRange(() => IntegerTypes.Unsigned(9)));
        Assert.StartsWith("integer types have 2..8 bits", OutOfRange(() => IntegerTypes.TwosComplement(9)));
        Assert.Equal([-1.0, 0, 1], IntegerTypes.Symmetric(2).SortedValues.ToArray());
        Assert.Equal(-128, IntegerTypes.TwosComplement(8).MinValue);
        Assert.StartsWith("OliVe int has 3..8 bits", OutOfRange(() => OliveTypes.Int(2)));
        Assert.StartsWith("OliVe int has 3..8 bits", OutOfRange(() => OliveTypes.Int(9)));
        Assert.StartsWith("abfloat has 4 or 8 bits", OutOfRange(() => OliveTypes.Abfloat(5)));
        foreach (int bits in new[] { 2, 5 })
        {
            Assert.StartsWith("BitMoD datatypes have 3 or 4 bits", OutOfRange(() => BitmodTypes.Candidates(bits)));
            Assert.StartsWith("BitMoD datatypes have 3 or 4 bits", OutOfRange(() => BitmodTypes.SpecialValues(bits)));
            Assert.StartsWith("BitMoD datatypes have 3 or 4 bits", OutOfRange(() => BitmodTypes.BaseFloat(bits)));
        }
    }

    [Fact]
    public void OliveIntThreeBitsIsTheSmallestGrid()
    {
        // 3 bits: magnitudes 0 … 3 times 32/4 = 8.
        Assert.Equal([-24.0, -16, -8, 0, 8, 16, 24], OliveTypes.Int(3).SortedValues.ToArray());
        Assert.Equal(127 * 32.0 / 128, OliveTypes.Int(8).MaxValue);
    }

    [Fact]
    public void NamesSayWidthAndSignedness()
    {
        Assert.Equal(["flint4", "flint4u", "pot3", "pot3u", "antint4", "antint4u", "int4", "int4_full", "uint4", "olive_int4", "olive_flint4", "abfloat8", "fp4"],
            new[]
            {
                AntTypes.Flint(4, true), AntTypes.Flint(4, false), AntTypes.PowerOfTwo(3, true), AntTypes.PowerOfTwo(3, false),
                AntTypes.Int(4, true), AntTypes.Int(4, false), IntegerTypes.Symmetric(4), IntegerTypes.TwosComplement(4),
                IntegerTypes.Unsigned(4), OliveTypes.Int(4), OliveTypes.Flint(4), OliveTypes.Abfloat(8), BitmodTypes.BaseFloat(4),
            }.Select(c => c.ToString()));
        Assert.Equal(["bitmod3_er_pos", "bitmod3_er_neg", "bitmod3_ea_pos", "bitmod3_ea_neg"], BitmodTypes.Candidates(3).Select(c => c.Name));
        Assert.Equal("fp3", BitmodTypes.BaseFloat(3).Name);
        Assert.Equal(["er_pos", "er_neg", "ea_pos", "ea_neg"], BitmodTypes.CandidateNames);
        Assert.Equal((4, 8), (BitmodTypes.SpecialCode(3), BitmodTypes.SpecialCode(4)));
    }

    [Fact]
    public void UnsignedTypesHoldTheirClosedForms()
    {
        // Unsigned PoT b bits: 0 and 2^0 … 2^(2^b − 2); ANT's unsigned int: 0 … 2^b − 1.
        Assert.Equal([0.0, 1, 2, 4, 8, 16, 32, 64], AntTypes.PowerOfTwo(3, signed: false).SortedValues.ToArray());
        Assert.Equal(Enumerable.Range(0, 16).Select(v => (double)v), AntTypes.Int(4, signed: false).SortedValues.ToArray());
        // Unsigned flint3 by code: 0..3, then 100 -> 2^4, 101 -> 2^3, 110 -> 4, 111 -> 6.
        Assert.Equal([0.0, 1, 2, 3, 16, 8, 4, 6], Enumerable.Range(0, 8).Select(AntTypes.Flint(3, signed: false).Decode));
        // Unsigned flint5: 1 0001 -> 2^5 · (1 + 0) with zeros = 3, mantissa bits 0; 1 1111 -> 2^4 · (1 + 7/8) = 30; 1 0000 -> 2^8.
        var flint5 = AntTypes.Flint(5, signed: false);
        Assert.Equal((128.0, 30.0, 256.0, 64.0, 24.0), (flint5.Decode(0b10001), flint5.Decode(0b11111), flint5.Decode(0b10000), flint5.Decode(0b10010), flint5.Decode(0b11100)));
    }

    [Fact]
    public void CodebookConstructorRejectsWhatItCannotEncode()
    {
        Assert.ThrowsAny<ArgumentException>(() => new Codebook(" ", 1, [0.0, 1], TieRule.LowerValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Codebook("z", 0, [0.0], TieRule.LowerValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Codebook("n", 9, new double[512], TieRule.LowerValue));
        Assert.Equal(256, new Codebook("b8", 8, [.. Enumerable.Range(0, 256).Select(v => (double)v)], TieRule.LowerValue).CodeCount);
        Assert.StartsWith("c: 2 bits need 4 code values, got 3",
            Assert.Throws<ArgumentException>(() => new Codebook("c", 2, [0.0, 1, 2], TieRule.LowerValue)).Message);
        Assert.StartsWith("d: needs at least two distinct finite values",
            Assert.Throws<ArgumentException>(() => new Codebook("d", 1, [1.0, 1.0], TieRule.LowerValue)).Message);
        Assert.StartsWith("e: needs at least two distinct finite values",
            Assert.Throws<ArgumentException>(() => new Codebook("e", 1, [double.NaN, 2.0], TieRule.LowerValue)).Message);
        var one = new Codebook("one", 1, [0.0, -1], TieRule.UpperValue);
        Assert.Equal([-1.0, 0], one.SortedValues.ToArray());
        Assert.Equal([1, 0], one.SortedCodes.ToArray());
        Assert.Equal(1, one.MaxAbs);
    }

    [Fact]
    public void CodesOutsideTheTableAndNaNInputsFail()
    {
        var int4 = IntegerTypes.Symmetric(4);
        Assert.False(int4.IsValue(-1));
        Assert.False(int4.IsValue(16));
        Assert.True(int4.IsValue(15));
        Assert.True(int4.IsValue(0));
        Assert.StartsWith("not a 4-bit int4 code", OutOfRange(() => int4.Decode(16)));
        Assert.StartsWith("not a 4-bit int4 code", OutOfRange(() => int4.Decode(-1)));
        Assert.Equal(-1, int4.Decode(15));
        Assert.StartsWith("int4: cannot encode NaN", Assert.Throws<ArgumentException>(() => int4.Encode(double.NaN)).Message);
        var kernel = new NearestValueKernel(int4);
        Assert.StartsWith("int4: cannot encode NaN", Assert.Throws<ArgumentException>(() => kernel.NearestIndices([float.NaN], new int[1])).Message);
        Assert.StartsWith("int4: cannot encode NaN", Assert.Throws<ArgumentException>(() => kernel.NearestValues([float.NaN], new float[1])).Message);
        Assert.StartsWith("output shorter than input", Assert.Throws<ArgumentException>(() => kernel.NearestIndices([1f, 2f], new int[1])).Message);
        Assert.StartsWith("output shorter than input", Assert.Throws<ArgumentException>(() => kernel.NearestValues([1f, 2f], new float[1])).Message);
        kernel.NearestIndices([], []);
    }

    [Fact]
    public void ThresholdsMustBeExactInFloat()
    {
        // (0 + 2^-30 · 3) / 2 and neighbours are fine; a value with 30 significant bits has a midpoint no float holds.
        var fine = new Codebook("fine", 1, [0.0, Math.ScaleB(3, -30)], TieRule.LowerValue);
        Assert.Equal((float)Math.ScaleB(3, -31), (float)new NearestValueKernel(fine).Codebook.Thresholds[0]);
        var coarse = new Codebook("coarse", 1, [0.0, 1 + Math.ScaleB(1, -29)], TieRule.LowerValue);
        Assert.StartsWith("coarse: threshold", Assert.Throws<ArgumentException>(() => new NearestValueKernel(coarse)).Message);
    }

    [Fact]
    public void ScaledCodebooksKeepCodesAndTieRule()
    {
        var scaled = AntTypes.Flint(4, signed: true).Scaled("half", 0.5);
        Assert.Equal(("half", 4, TieRule.UpperValue), (scaled.Name, scaled.Bits, scaled.TieRule));
        Assert.Equal(8, scaled.MaxValue);
        Assert.Equal(-8, scaled.MinValue);
        Assert.Equal(3, scaled.Decode(7)); // signed flint4 code 0111 = 6, halved
    }

    [Fact]
    public void SubnormalDoublesDecomposeExactly()
    {
        // The least subnormal is 1 · 2^-1074; 3 · 2^-1074 has mantissa 3; the least normal is 1 · 2^-1022.
        Assert.Equal(new IntegerTerm(1, -1074), IntegerTerm.Of(double.Epsilon));
        Assert.Equal(new IntegerTerm(-3, -1074), IntegerTerm.Of(-3 * double.Epsilon));
        Assert.Equal(new IntegerTerm(1, -1022), IntegerTerm.Of(Math.ScaleB(1, -1022)));
        Assert.Equal(new IntegerTerm(5, -1073), IntegerTerm.Of(10 * double.Epsilon));
        Assert.Equal(new IntegerTerm(9007199254740991, 971), IntegerTerm.Of(double.MaxValue));
        Assert.Equal(Math.ScaleB(5, -1073), new IntegerTerm(5, -1073).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerTerm.Of(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerTerm.Of(double.NegativeInfinity));
        Assert.Equal(new IntegerTerm(0, 0), IntegerTerm.Of(-0.0));
        Assert.Equal(new IntegerTerm(-1, 3), IntegerTermOfCode());
    }

    /// <summary>A codebook code's integer form: PoT4 code 1100 is −2^3.</summary>
    private static IntegerTerm IntegerTermOfCode() => AntTypes.PowerOfTwo(4, signed: true).IntegerForm(0b1100);
}
