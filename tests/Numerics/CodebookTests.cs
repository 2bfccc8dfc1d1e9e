using CsCheck;
using HwSim.Numerics.DataTypes;

namespace HwSim.Tests.Numerics;

public class CodebookTests
{
    private static double[] Signed(params double[] magnitudes) =>
        [.. magnitudes.Where(m => m != 0).Select(m => -m).Concat(magnitudes).Order()];

    public static IEnumerable<Codebook> AllCodebooks()
    {
        for (int b = 2; b <= 8; b++)
        {
            yield return IntegerTypes.Symmetric(b);
            yield return IntegerTypes.Unsigned(b);
            yield return IntegerTypes.TwosComplement(b);
        }
        for (int b = 3; b <= 6; b++)
        {
            yield return AntTypes.Flint(b, signed: true);
            yield return AntTypes.Flint(b, signed: false);
        }
        for (int b = 2; b <= 5; b++) yield return AntTypes.PowerOfTwo(b, signed: true);
        foreach (var format in MiniFloat.SmallFormats) yield return format.ToCodebook();
        foreach (var codebook in BitmodTypes.Candidates(3).Concat(BitmodTypes.Candidates(4))) yield return codebook;
        yield return OliveTypes.Int(4);
        yield return OliveTypes.Int(8);
        yield return OliveTypes.Flint(4);
        yield return OliveTypes.Abfloat(4);
        yield return OliveTypes.Abfloat(8);
    }

    public static TheoryData<string> CodebookNames() => new(AllCodebooks().Select(c => c.Name));

    private static Codebook Named(string name) => AllCodebooks().First(c => c.Name == name);

    [Fact]
    public void BitmodCodebooksEqualThePaper()
    {
        // Chen et al., BitMoD (HPCA 2025), Sec. III: codebooks before scaling (FP4 in the public code's integer grid).
        Assert.Equal([-3, -2, -1, 0, 1, 2, 3], IntegerTypes.Symmetric(3).SortedValues.ToArray());
        Assert.Equal([-4, -2, -1, 0, 1, 2, 4], BitmodTypes.BaseFloat(3).SortedValues.ToArray());
        var three = BitmodTypes.Candidates(3);
        Assert.Equal([-4, -2, -1, 0, 1, 2, 3, 4], three[0].SortedValues.ToArray());
        Assert.Equal([-4, -3, -2, -1, 0, 1, 2, 4], three[1].SortedValues.ToArray());
        Assert.Equal([-4, -2, -1, 0, 1, 2, 4, 6], three[2].SortedValues.ToArray());
        Assert.Equal([-6, -4, -2, -1, 0, 1, 2, 4], three[3].SortedValues.ToArray());
        Assert.Equal(Enumerable.Range(-7, 15).Select(v => (double)v), IntegerTypes.Symmetric(4).SortedValues.ToArray());
        double[] fp4 = Signed(0, 1, 2, 3, 4, 6, 8, 12);
        Assert.Equal(fp4, BitmodTypes.BaseFloat(4).SortedValues.ToArray());
        var four = BitmodTypes.Candidates(4);
        Assert.Equal(fp4.Append(10).Order(), four[0].SortedValues.ToArray());
        Assert.Equal(fp4.Append(-10).Order(), four[1].SortedValues.ToArray());
        Assert.Equal(fp4.Append(16).Order(), four[2].SortedValues.ToArray());
        Assert.Equal(fp4.Append(-16).Order(), four[3].SortedValues.ToArray());
        // The special value sits in the sign-magnitude "-0" code.
        Assert.Equal(-16, four[3].Decode(0b1000));
        Assert.Equal(3, three[0].Decode(0b100));
        // The FP4 grid is the OCP E2M1 grid times two.
        Assert.Equal(MiniFloat.Fp4E2M1.NonNegativeValues().Select(v => 2 * v), BitmodTypes.BaseFloat(4).SortedValues.ToArray().Where(v => v >= 0));
    }

    [Fact]
    public void AntAndOliveCodebooksEqualTheReference()
    {
        Assert.Equal(Signed(0, 1, 2, 3, 4, 6, 8, 16), AntTypes.Flint(4, signed: true).SortedValues.ToArray());
        var unsigned = AntTypes.Flint(4, signed: false);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64], unsigned.SortedValues.ToArray());
        // First-one encoding of unsigned flint4: 0xxx integer, 11mm -> 8..14, 101m -> 16/24, 1001 -> 32, 1000 -> 64.
        Assert.Equal(5, unsigned.Decode(0b0101));
        Assert.Equal([8, 10, 12, 14], new[] { 0b1100, 0b1101, 0b1110, 0b1111 }.Select(unsigned.Decode));
        Assert.Equal([16, 24], new[] { 0b1010, 0b1011 }.Select(unsigned.Decode));
        Assert.Equal(32, unsigned.Decode(0b1001));
        Assert.Equal(64, unsigned.Decode(0b1000));
        Assert.Equal(Signed(0, 1, 2, 4, 8, 16, 32, 64), AntTypes.PowerOfTwo(4, signed: true).SortedValues.ToArray());
        Assert.Equal(-8, AntTypes.Int(4, signed: true).MinValue);
        Assert.Equal(Signed(0, 4, 8, 12, 16, 20, 24, 28), OliveTypes.Int(4).SortedValues.ToArray());
        Assert.Equal(Signed(0, 2, 4, 6, 8, 12, 16, 32), OliveTypes.Flint(4).SortedValues.ToArray());
        Assert.Equal(Signed(48, 64, 96, 128, 192, 256, 384), OliveTypes.Abfloat(4).SortedValues.ToArray());
        var abfloat8 = OliveTypes.Abfloat(8).SortedValues.ToArray().Where(v => v > 0).ToArray();
        double[] expected8 = [.. Enumerable.Range(33, 31).Select(v => (double)v), .. Enumerable.Range(0, 32).Select(i => 64.0 + 2 * i),
            .. Enumerable.Range(0, 32).Select(i => 128.0 + 4 * i), .. Enumerable.Range(0, 32).Select(i => 256.0 + 8 * i)];
        Assert.Equal(expected8, abfloat8);
        // abfloat4 codes: sign, 2 exponent bits, 1 mantissa bit; exponent bias 5.
        Assert.Equal(48, OliveTypes.Abfloat(4).Decode(0b0001));
        Assert.Equal(-384, OliveTypes.Abfloat(4).Decode(0b1111));
        Assert.Equal([0, 1, 2, 4], MiniFloat.Fp3E2M0.NonNegativeValues());
    }

    [Theory]
    [MemberData(nameof(CodebookNames))]
    public void EncodeOfDecodeIsIdentityOnEveryValueCode(string name)
    {
        var codebook = Named(name);
        for (int code = 0; code < codebook.CodeCount; code++)
        {
            if (!codebook.IsValue(code)) continue;
            double value = codebook.Decode(code);
            Assert.Equal(value, codebook.Decode(codebook.Encode(value)));
            // Only the duplicate zero of sign-magnitude types maps to another code (the smaller one).
            if (codebook.Encode(value) != code) Assert.Equal(0, value);
            var term = codebook.IntegerForm(code);
            Assert.Equal(value, term.Value);
            Assert.True(term.Mantissa == 0 || term.Mantissa % 2 != 0);
        }
    }

    [Theory]
    [MemberData(nameof(CodebookNames))]
    public void EncodeReturnsTheNearestValueWithTheStatedTieRule(string name)
    {
        var codebook = Named(name);
        var values = codebook.SortedValues.ToArray();
        double span = codebook.MaxAbs * 1.25;
        Gen.Double[-span, span].Sample(x =>
        {
            double q = codebook.Quantize(x);
            double best = values.Min(v => Math.Abs(x - v));
            Assert.Equal(best, Math.Abs(x - q));
        });
        // Exact midpoints: LowerValue goes down, UpperValue up; EvenCode goes to the even code.
        for (int i = 0; i + 1 < values.Length; i++)
        {
            double mid = (values[i] + values[i + 1]) / 2;
            int code = codebook.Encode(mid);
            if (codebook.TieRule == TieRule.LowerValue) Assert.Equal(values[i], codebook.Decode(code));
            else if (codebook.TieRule == TieRule.UpperValue) Assert.Equal(values[i + 1], codebook.Decode(code));
            else if (((codebook.Encode(values[i]) ^ codebook.Encode(values[i + 1])) & 1) == 1) Assert.Equal(0, code & 1);
        }
    }

    [Theory]
    [MemberData(nameof(CodebookNames))]
    public void VectorKernelEqualsTheScalarSearch(string name)
    {
        var codebook = Named(name);
        var kernel = new NearestValueKernel(codebook);
        float span = (float)(codebook.MaxAbs * 1.25);
        var thresholds = codebook.Thresholds.ToArray().Select(t => (float)t).ToArray();
        Gen.Float[-span, span].Array[1, 67].Sample(xs =>
        {
            // Mix in exact thresholds so that ties are exercised in the vector lanes too.
            for (int i = 0; i < xs.Length; i += 3) xs[i] = thresholds[(i * 7) % thresholds.Length];
            var indices = new int[xs.Length];
            var values = new float[xs.Length];
            kernel.NearestIndices(xs, indices);
            kernel.NearestValues(xs, values);
            for (int i = 0; i < xs.Length; i++)
            {
                Assert.Equal(codebook.NearestIndex(xs[i]), indices[i]);
                Assert.Equal((float)codebook.Quantize(xs[i]), values[i]);
            }
        });
    }

    [Fact]
    public void IntegersRoundHalfToEvenAndSaturate()
    {
        var int4 = IntegerTypes.Symmetric(4);
        Assert.Equal(2, int4.Quantize(2.5));
        Assert.Equal(4, int4.Quantize(3.5));
        Assert.Equal(-2, int4.Quantize(-2.5));
        Assert.Equal(7, int4.Quantize(100));
        Assert.Equal(-7, int4.Quantize(-100));
        Assert.Equal(0b1001, int4.Encode(-7)); // two's complement; 1000 (-8) is unused
        Assert.False(int4.IsValue(0b1000));
    }

    [Fact]
    public void IntegerTermsDecomposeDyadicValues()
    {
        Assert.Equal(new IntegerTerm(3, 2), IntegerTerm.Of(12));
        Assert.Equal(new IntegerTerm(-3, -1), IntegerTerm.Of(-1.5));
        Assert.Equal(new IntegerTerm(1, 4), IntegerTerm.Of(16));
        Assert.Equal(new IntegerTerm(0, 0), IntegerTerm.Of(0));
    }
}
