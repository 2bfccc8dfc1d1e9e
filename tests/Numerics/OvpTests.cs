using CsCheck;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Tests.Numerics;

public class OvpTests
{
    private static readonly OvpFormat Format = OvpFormat.Int4;
    private static readonly int Id = 0b1000;

    private static byte[] Encode(OvpFormat format, params float[] x)
    {
        var codes = new byte[x.Length];
        new OvpEncoder(format).Encode(x, codes, new int[x.Length]);
        return codes;
    }

    [Fact]
    public void OutlierFirstMakesTheSecondItsVictim()
    {
        var codes = Encode(Format, 100, 3);
        Assert.Equal(Id, codes[1]);
        Assert.Equal(96, OliveTypes.Abfloat(4).Decode(codes[0]));
        Assert.Equal((96.0, 0.0), new OvpDecoder(Format).DecodePair(codes[0], codes[1]));
    }

    [Fact]
    public void OutlierSecondMakesTheFirstItsVictim()
    {
        var codes = Encode(Format, 3, -200);
        Assert.Equal(Id, codes[0]);
        Assert.Equal((0.0, -192.0), new OvpDecoder(Format).DecodePair(codes[0], codes[1]));
    }

    [Fact]
    public void WhenBothAreOutliersTheFirstWins()
    {
        var codes = Encode(Format, 100, 300);
        Assert.Equal((96.0, 0.0), new OvpDecoder(Format).DecodePair(codes[0], codes[1]));
        var negative = Encode(Format, -50, -390);
        Assert.Equal((-48.0, 0.0), new OvpDecoder(Format).DecodePair(negative[0], negative[1]));
    }

    [Fact]
    public void NormalPairsStoreTwoNormalCodes()
    {
        var codes = Encode(Format, 3, -5);
        Assert.Equal(0b0001, codes[0]); // sign-magnitude 1 (x4 = 4)
        Assert.Equal(0b1001, codes[1]);
        Assert.Equal((4.0, -4.0), new OvpDecoder(Format).DecodePair(codes[0], codes[1]));
    }

    /// <summary>
    /// OliVe's kernel scans normals then outliers and keeps the last value at the smallest distance, so both ±boundary
    /// ties go to the outlier (clevercool/ANT-Quantization @bc84067, olive_quantization/quant/quant_kernel.cu).
    /// </summary>
    [Fact]
    public void TheUnionBoundaryTiesGoToTheOutlier()
    {
        Assert.Equal(38, Format.OutlierBoundary); // (28 + 48) / 2
        Assert.Equal((48.0, true), Format.NearestInUnion(38));
        Assert.Equal((-48.0, true), Format.NearestInUnion(-38));
        Assert.Equal((28.0, false), Format.NearestInUnion(37.99));
        Assert.Equal(40, OvpFormat.Flint4.OutlierBoundary); // (32 + 48) / 2
        Assert.Equal((48.0, true), OvpFormat.Flint4.NearestInUnion(40));
        Assert.Equal(Id, Encode(Format, 38, 0)[1]); // 38 is an outlier, its partner the victim
    }

    /// <summary>Ties between two normals (or two outliers) go to the upper value: 2 → 4 and −2 → 0 in int4 units of 4.</summary>
    [Fact]
    public void TiesInsideOneGridGoUp()
    {
        Assert.Equal(4, Format.Normal.Quantize(2));
        Assert.Equal(0, Format.Normal.Quantize(-2));
        Assert.Equal(64, Format.Outlier.Quantize(56)); // between 48 and 64
        Assert.Equal(-48, Format.Outlier.Quantize(-56));
    }

    public static TheoryData<string, double, double, double> BoundaryTies() => new()
    {
        // Format, the tie (midpoint of the largest normal and the smallest outlier), largest normal, smallest
        // outlier magnitude; hand-computed from OliVe's codebooks (OliveTypes): int4 normals 0..28 step 4, flint4
        // up to 32, int8 up to 127/4 = 31.75; abfloat4 from 48, abfloat8 from 32 · (1 + 1/32) = 33.
        { "int4", 38, 28, 48 },
        { "flint4", 40, 32, 48 },
        { "int8", 32.375, 31.75, 33 },
    };

    private static OvpFormat FormatNamed(string name) => name switch
    {
        "int4" => OvpFormat.Int4,
        "flint4" => OvpFormat.Flint4,
        _ => OvpFormat.Int8,
    };

    [Theory]
    [MemberData(nameof(BoundaryTies))]
    public void EachBoundaryTieBecomesTheOutlierInEitherSlotOfThePair(string name, double tie, double largestNormal, double smallestOutlier)
    {
        // OliVe's kernel scans the normals, then the outliers, keeping the last value at the smallest distance
        // (TieRule.UpperValue over the grid order normals-then-outliers): a weight exactly at either boundary becomes
        // the outlier ±smallestOutlier, in either slot of the pair, and the other slot holds the identifier.
        var format = FormatNamed(name);
        var decoder = new OvpDecoder(format);
        (double, double) Pair(float first, float second)
        {
            var codes = Encode(format, first, second);
            return decoder.DecodePair(codes[0], codes[1]);
        }
        Assert.Equal(tie, format.OutlierBoundary);
        float t = (float)tie;
        foreach (float sign in (float[])[1, -1])
        {
            var first = Encode(format, sign * t, 0);
            Assert.Equal(format.Identifier, first[1]);
            Assert.Equal((sign * smallestOutlier, 0.0), decoder.DecodePair(first[0], first[1]));
            var second = Encode(format, 0, sign * t);
            Assert.Equal(format.Identifier, second[0]);
            Assert.Equal((0.0, sign * smallestOutlier), decoder.DecodePair(second[0], second[1]));
        }
        // Just past each side of the tie the nearest value decides without the rule.
        float above = MathF.BitIncrement(t), below = MathF.BitDecrement(t);
        Assert.Equal((smallestOutlier, 0.0), Pair(above, 0));
        Assert.Equal((0.0, -smallestOutlier), Pair(0, -above));
        Assert.Equal((largestNormal, 0.0), Pair(below, 0));
        Assert.Equal((0.0, -largestNormal), Pair(0, -below));
    }

    [Fact]
    public void DecoderRejectsTwoIdentifiersAndUnusedCodes()
    {
        var decoder = new OvpDecoder(Format);
        Assert.Throws<InvalidDataException>(() => decoder.DecodePair(Id, Id));
        Assert.Throws<InvalidDataException>(() => decoder.DecodePair(0, Id)); // abfloat code 0 (= 32) holds no value
    }

    [Theory]
    [InlineData(4, OvpNormalKind.Int)]
    [InlineData(4, OvpNormalKind.Flint)]
    [InlineData(8, OvpNormalKind.Int)]
    public void EncoderAndDecoderFollowTheSpecificationOnRandomInputs(int bits, OvpNormalKind kind)
    {
        var format = new OvpFormat(bits, kind);
        // OliVe's grid: the sorted normals, then the sorted outliers (torch.cat((quant_grid, outliers))).
        var grid = format.Normal.SortedValues.ToArray().Concat(format.Outlier.SortedValues.ToArray()).ToArray();
        var decoder = new OvpDecoder(format);
        Gen.Float[-450, 450].Array[1, 41].Sample(x =>
        {
            var codes = Encode(format, x);
            // Independent statement of the rule, OliVe's kernel: linear scan of the grid, the last value at the smallest distance.
            double Nearest(float v)
            {
                float best = float.MaxValue, q = 0;
                foreach (double u in grid)
                    if (MathF.Abs(v - (float)u) <= best) (best, q) = (MathF.Abs(v - (float)u), (float)u);
                return q;
            }
            for (int i = 0; i + 1 < x.Length; i += 2)
            {
                double a = Nearest(x[i]), b = Nearest(x[i + 1]);
                bool aOut = Math.Abs(a) > OliveTypes.NormalLimit, bOut = Math.Abs(b) > OliveTypes.NormalLimit;
                (double, double) expected = aOut ? (a, 0) : bOut ? (0, b) : (a, b);
                Assert.Equal(expected, decoder.DecodePair(codes[i], codes[i + 1]));
            }
            if (x.Length % 2 == 1) Assert.Equal(format.Normal.Quantize(x[^1]), decoder.DecodeSingle(codes[^1]));
        });
    }

    [Fact]
    public void QuantizerDequantizesThroughThePairDecoderAndSearchBeatsAbsMax()
    {
        var weights = SyntheticWeightsForTests.Small(rows: 16, cols: 64, seed: 3);
        var searched = new OvpQuantizer(Format, OvpQuantizer.OliveSearch).Quantize(weights);
        var absMax = new OvpQuantizer(Format).Quantize(weights);
        double searchedError = ErrorMetrics.SumSquaredError(weights.Values, searched.Dequantize());
        double absMaxError = ErrorMetrics.SumSquaredError(weights.Values, absMax.Dequantize());
        Assert.True(searchedError < absMaxError, $"{searchedError} vs {absMaxError}");
        Assert.Contains(searched.Codes, c => c == Id); // the outlier channels produce victims
        var values = new float[64];
        searched.CodeValues(0, values);
        for (int i = 0; i < 64; i += 2)
        {
            var (a, b) = new OvpDecoder(Format).DecodePair(searched.Codes[i], searched.Codes[i + 1]);
            Assert.Equal(((float)a, (float)b), (values[i], values[i + 1]));
        }
    }
}
