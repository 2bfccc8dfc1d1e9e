using CsCheck;
using HwSim.Numerics.DataTypes;

namespace HwSim.Tests.Numerics;

public class MiniFloatTests
{
    public static TheoryData<string> Formats() =>
        new(MiniFormats.Select(f => f.Name));

    private static readonly MiniFloat[] MiniFormats =
        [MiniFloat.Fp16, MiniFloat.Bf16, MiniFloat.Fp8E5M2, MiniFloat.Fp8E4M3, MiniFloat.Fp6E3M2, MiniFloat.Fp6E2M3, MiniFloat.Fp4E2M1];

    private static MiniFloat Get(string name) => MiniFormats.Single(f => f.Name == name);

    [Fact]
    public void SmallFormatCodebooksMatchTheOcpSpecification()
    {
        // OCP MX v1.0, section 5.3: FP4 E2M1 magnitudes; FP6 and FP8 maxima.
        Assert.Equal([0, 0.5, 1, 1.5, 2, 3, 4, 6], MiniFloat.Fp4E2M1.NonNegativeValues());
        Assert.Equal(7.5, MiniFloat.Fp6E2M3.MaxFinite);
        Assert.Equal(0.125, MiniFloat.Fp6E2M3.NonNegativeValues()[1]);
        Assert.Equal(28, MiniFloat.Fp6E3M2.MaxFinite);
        Assert.Equal(0.0625, MiniFloat.Fp6E3M2.NonNegativeValues()[1]);
        Assert.Equal(448, MiniFloat.Fp8E4M3.MaxFinite);
        Assert.Equal(Math.ScaleB(1, -9), MiniFloat.Fp8E4M3.NonNegativeValues()[1]);
        Assert.Equal(57344, MiniFloat.Fp8E5M2.MaxFinite);
        Assert.Equal(65504, MiniFloat.Fp16.MaxFinite);
        Assert.Equal((double)float.Parse("3.38953139e38"), MiniFloat.Bf16.MaxFinite, 1e30);
        Assert.Equal(127, MiniFloat.Fp8E4M3.NonNegativeValues().Count); // 128 magnitudes minus the NaN
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EncodeOfDecodeIsIdentityOnEveryCode(string name)
    {
        var format = Get(name);
        for (uint code = 0; code < 1u << Math.Min(format.Bits, 16); code++)
        {
            if (format.IsNaN(code)) continue;
            Assert.Equal(code, format.Encode(format.Decode(code)));
        }
    }

    [Fact]
    public void Fp16DecodesExactlyLikeHalf()
    {
        for (uint code = 0; code <= ushort.MaxValue; code++)
        {
            double expected = (double)BitConverter.UInt16BitsToHalf((ushort)code);
            double actual = MiniFloat.Fp16.Decode(code);
            Assert.True(expected.Equals(actual), $"code 0x{code:X4}: {actual} vs Half {expected}");
        }
    }

    [Fact]
    public void Fp16EncodesBitExactlyLikeHalfIncludingTiesAndOverflow()
    {
        Gen.Double.Sample(x =>
            double.IsNaN(x) || MiniFloat.Fp16.Encode(x) == BitConverter.HalfToUInt16Bits((Half)x));
        // Exact midpoints between neighbouring halves are ties: both rules must pick the even code.
        Gen.UInt[0, 0x7BFE].Sample(code =>
        {
            double low = MiniFloat.Fp16.Decode(code), high = MiniFloat.Fp16.Decode(code + 1);
            double midpoint = (low + high) / 2;
            uint ours = MiniFloat.Fp16.Encode(midpoint);
            return ours == BitConverter.HalfToUInt16Bits((Half)midpoint) && (ours & 1) == 0;
        });
    }

    /// <summary>Independent reference: the float→bfloat16 round-to-nearest-even bit trick.</summary>
    private static uint Bf16Reference(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        return (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16;
    }

    [Fact]
    public void Bf16RoundsLikeTheBitTrick() =>
        Gen.Float.Sample(x => !float.IsFinite(x) || Math.Abs(x) > 3.3e38f || MiniFloat.Bf16.Encode(x) == Bf16Reference(x));

    [Theory]
    [InlineData("fp8_e4m3")]
    [InlineData("fp8_e5m2")]
    [InlineData("fp6_e3m2")]
    [InlineData("fp6_e2m3")]
    [InlineData("fp4_e2m1")]
    public void RoundsToTheNearestCodebookValueWithTiesToEven(string name)
    {
        var format = Get(name);
        var values = format.NonNegativeValues();
        Gen.Double[-2 * format.MaxFinite, 2 * format.MaxFinite].Sample(x =>
        {
            double q = format.Quantize(x);
            double bestDistance = values.Min(v => Math.Abs(Math.Abs(x) - v));
            bool nearest = Math.Abs(format.MaxFinite) < Math.Abs(x)
                ? Math.Abs(q) == format.MaxFinite || double.IsInfinity(q)
                : Math.Abs(Math.Abs(q) - Math.Abs(x)) == bestDistance;
            bool isTie = values.Count(v => Math.Abs(Math.Abs(x) - v) == bestDistance) == 2;
            return nearest && (!isTie || (format.Encode(x) & 1) == 0) && (q == 0 || Math.Sign(q) == Math.Sign(x));
        });
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryMidpointBetweenNeighboursRoundsToTheEvenCode(string name)
    {
        var format = Get(name);
        var values = format.NonNegativeValues();
        int checkedPairs = Math.Min(values.Count - 1, 4096);
        for (int i = 0; i < checkedPairs; i++)
        {
            double midpoint = (values[i] + values[i + 1]) / 2;
            uint code = format.Encode(midpoint);
            Assert.Equal(0u, code & 1);
            Assert.Contains(format.Decode(code), new[] { values[i], values[i + 1] });
        }
    }

    [Fact]
    public void OverflowSaturatesOrGoesToInfinityByFormat()
    {
        Assert.Equal(6, MiniFloat.Fp4E2M1.Quantize(100));
        Assert.Equal(-6, MiniFloat.Fp4E2M1.Quantize(double.NegativeInfinity));
        Assert.Equal(448, MiniFloat.Fp8E4M3.Quantize(1e6));
        Assert.True(MiniFloat.Fp8E4M3.IsNaN(MiniFloat.Fp8E4M3.Encode(double.NaN)));
        Assert.Equal(65504, MiniFloat.Fp16.Quantize(65519.99));
        Assert.Equal(double.PositiveInfinity, MiniFloat.Fp16.Quantize(65520)); // max + ½ulp ties to the even Inf
        Assert.Equal(double.NegativeInfinity, MiniFloat.Fp8E5M2.Quantize(-61440));
        Assert.Throws<ArgumentException>(() => MiniFloat.Fp4E2M1.Encode(double.NaN));
    }
}
