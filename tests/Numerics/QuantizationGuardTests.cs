using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;
using HwSim.Numerics.Quantization.Packing;

namespace HwSim.Tests.Numerics;

/// <summary>
/// Quantizer parameters, layouts and scale codecs at their limits, with closed forms worked out by hand and every
/// error message asserted.
/// </summary>
public class QuantizationGuardTests
{
    [Fact]
    public void ClipSearchesListTheirFractions()
    {
        // (To − From) / Step candidates, rounded to 9 decimals: 0.50 … 1.00 (51), 0.75 … 2.49 (88), 0.75 … 1.49 (75).
        var shrink = QuantizerCatalog.ShrinkSearch.Fractions();
        Assert.Equal((51, 0.5, 1.0, 0.51), (shrink.Count, shrink[0], shrink[^1], shrink[1]));
        var olive = OvpQuantizer.OliveSearch.Fractions();
        Assert.Equal((88, 0.75, 2.49, 0.77), (olive.Count, olive[0], olive[^1], olive[1]));
        Assert.Equal(75, ClipSearch.Ant.Fractions().Count);
        Assert.Equal([0.5, 0.75], new ClipSearch(0.5, 1.0, 0.25).Fractions());
        Assert.Equal([0.5], new ClipSearch(0.5, 0.6, 0.25).Fractions());
        foreach (var bad in new[] { new ClipSearch(0.5, 1, 0), new ClipSearch(0, 1, 0.1), new ClipSearch(1, 1, 0.1), new ClipSearch(1, 0.5, 0.1), new ClipSearch(double.NaN, 1, 0.1) })
            Assert.Equal($"bad clip search {bad.From}..{bad.To} step {bad.Step}", Assert.Throws<ArgumentException>(() => bad.Fractions()).Message);
    }

    [Fact]
    public void GranularitiesNameAndSizeTheirGroups()
    {
        Assert.Equal(("-pt", "-pc", "-g64"), (Granularity.PerTensor.Suffix, Granularity.PerChannel.Suffix, Granularity.Group(64).Suffix));
        Assert.Equal((100, 100, 64, 50), (Granularity.PerTensor.GroupSizeFor(100), Granularity.PerChannel.GroupSizeFor(100),
            Granularity.Group(64).GroupSizeFor(100), Granularity.Group(64).GroupSizeFor(50)));
        Assert.Equal(1, Granularity.Group(1).GroupSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => Granularity.Group(0));
    }

    private static QuantizedLayout Layout(int rows = 2, int cols = 5, int groupSize = 2, bool zeroPoints = false, int typeIdBits = 0,
        bool tensorScale = false, int tensorBits = 0, bool oneScale = false, bool rowScales = false) =>
        new("test", rows, cols, 4, groupSize, ScaleFormat.Fp16, zeroPoints, typeIdBits, tensorScale, tensorBits,
            new CodebookDecoder(IntegerTypes.Symmetric(4)), oneScale, rowScales);

    [Fact]
    public void LayoutsCountEveryStoredBit()
    {
        // 2 × 5 codes in groups of 2: 3 groups per row (the last holds one weight), 6 groups.
        var plain = Layout();
        Assert.Equal((3, 6, 10L), (plain.GroupsPerRow, plain.GroupCount, plain.Elements));
        Assert.Equal(10 * 4 + 6 * 16, plain.StorageBits);
        // Zero points (4 bits) and type ids (2 bits) per group, FP16 row scales, FP32 tensor scale and 3 per-tensor bits.
        Assert.Equal(10 * 4 + 6 * (16 + 4 + 2) + 2 * 16 + 32 + 3,
            Layout(zeroPoints: true, typeIdBits: 2, tensorScale: true, tensorBits: 3, rowScales: true).StorageBits);
        var shared = Layout(oneScale: true);
        Assert.Equal((1, 10 * 4 + 16), (shared.StoredGroupCount, shared.StorageBits));
        Assert.Equal((10 * 4 + 16) / 10.0, shared.EffectiveBits);
    }

    [Fact]
    public void MatricesMustMatchTheirLayout()
    {
        var layout = Layout();
        var codes = new byte[10];
        var scales = new float[6];
        Assert.Contains("10 codes expected, got 9", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(layout, new byte[9], scales, null, null)).Message);
        Assert.Contains("6 scales expected, got 3", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(layout, codes, new float[3], null, null)).Message);
        Assert.Contains("zero points do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(layout, codes, scales, new byte[6], null)).Message);
        Assert.Contains("zero points do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(Layout(zeroPoints: true), codes, scales, null, null)).Message);
        Assert.Contains("zero points do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(Layout(zeroPoints: true), codes, scales, new byte[5], null)).Message);
        Assert.Contains("type ids do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(layout, codes, scales, null, new byte[6])).Message);
        Assert.Contains("type ids do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(Layout(typeIdBits: 2), codes, scales, null, null)).Message);
        Assert.Contains("type ids do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(Layout(typeIdBits: 2), codes, scales, null, new byte[7])).Message);
        Assert.Contains("no tensor scale", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(layout, codes, scales, null, null, tensorScale: 2)).Message);
        Assert.Contains("row scales do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(layout, codes, scales, null, null, rowScales: new float[2])).Message);
        Assert.Contains("row scales do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(Layout(rowScales: true), codes, scales, null, null)).Message);
        Assert.Contains("row scales do not match", Assert.Throws<ArgumentException>(() => new QuantizedMatrix(Layout(rowScales: true), codes, scales, null, null, rowScales: new float[3])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedMatrix(layout, codes, scales, null, null, tensorTypeId: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedMatrix(Layout(tensorBits: 2), codes, scales, null, null, tensorTypeId: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedMatrix(Layout(tensorBits: 2), codes, scales, null, null, tensorTypeId: -1));
        Assert.Equal(3, new QuantizedMatrix(Layout(tensorBits: 2), codes, scales, null, null, tensorTypeId: 3).TensorTypeId);
        Assert.Equal(int.MaxValue, new QuantizedMatrix(Layout(tensorBits: 31), codes, scales, null, null, tensorTypeId: int.MaxValue).TensorTypeId);
        Assert.Equal(7f, new QuantizedMatrix(Layout(tensorScale: true), codes, scales, null, null, tensorScale: 7).TensorScale);
    }

    [Fact]
    public void DequantizationAppliesGroupAndTensorScales()
    {
        // Codes of int4 (two's complement): 1, 2, 0xF (−1), 3, 4 | 5, 6, 7, 0xE (−2), 0; groups of 2 with scales 1 … 6.
        var matrix = new QuantizedMatrix(Layout(tensorScale: true), [1, 2, 0xF, 3, 4, 5, 6, 7, 0xE, 0], [1, 2, 3, 4, 5, 6], null, null, tensorScale: 0.5f);
        Assert.Equal([1f, 2, -1, 3, 4, 5, 6, 7, -2, 0], matrix.CodeValues());
        Assert.Equal([0.5f, 1, -1, 3, 6, 10, 12, 17.5f, -5, 0], matrix.Dequantize());
        Assert.Equal((0, 1, 2, 3, 5), (matrix.GroupIndex(0, 0), matrix.GroupIndex(0, 2), matrix.GroupIndex(0, 4), matrix.GroupIndex(1, 0), matrix.GroupIndex(1, 4)));
        // With zero points, the code value minus the group's zero point.
        var unsigned = new QuantizedMatrix(new QuantizedLayout("u", 1, 2, 4, 1, ScaleFormat.Fp16, true, 0, false, 0, new CodebookDecoder(IntegerTypes.Unsigned(4))),
            [9, 2], [1, 1], [8, 3], null);
        Assert.Equal([1f, -1], unsigned.CodeValues());
    }

    [Fact]
    public void DecodersNameUnusedCodesAndTheirCodebooks()
    {
        var matrix = new QuantizedMatrix(Layout(), [1, 8, 0, 0, 0, 0, 0, 0, 0, 0], new float[6], null, null);
        Assert.Equal("row 0, column 1: code 8 holds no value in int4", Assert.Throws<InvalidDataException>(() => matrix.CodeValues()).Message);
        var bitmod = new CodebookDecoder(BitmodTypes.Candidates(4));
        Assert.Equal("bitmod4_er_pos|bitmod4_er_neg|bitmod4_ea_pos|bitmod4_ea_neg", bitmod.Describe());
        Assert.Equal("int4", new CodebookDecoder(IntegerTypes.Symmetric(4)).Describe());
        Assert.StartsWith("at least one codebook", Assert.Throws<ArgumentException>(() => new CodebookDecoder([])).Message);
        // Type id 3 (EA_NEG) reads code 1000 as −16 in its group only.
        var typed = new QuantizedMatrix(new QuantizedLayout("b", 1, 4, 4, 2, ScaleFormat.Fp16, false, 2, false, 0, bitmod),
            [8, 8, 8, 8], [1, 1], null, [3, 0]);
        Assert.Equal([-16f, -16, 10, 10], typed.CodeValues());
        Assert.Equal("olive_int4+abfloat4 pairs", new OvpDecoder(OvpFormat.Int4).Describe());
    }

    [Fact]
    public void PackingRefusesFieldsThatDoNotFitAndShortData()
    {
        var matrix = new QuantizedMatrix(Layout(), [16, 0, 0, 0, 0, 0, 0, 0, 0, 0], new float[6], null, null);
        Assert.Contains("does not fit 4 bits", Assert.Throws<ArgumentOutOfRangeException>(() => MatrixPacker.Pack(matrix)).Message);
        var layout = Layout();
        Assert.Equal("test: packed data has 16 bytes, the layout needs 17", Assert.Throws<InvalidDataException>(() => MatrixPacker.Unpack(layout, new byte[16])).Message);
        // A 32-bit field takes every value: code 1 in bits 0..3, scale −1 = 0xBF800000 in bits 4..35, tensor scale
        // −∞ = 0xFF800000 in bits 36..67, i.e. the integer 1 | 0xBF800000 << 4 | 0xFF800000 << 36, low byte first.
        var fp32 = new QuantizedMatrix(new QuantizedLayout("f", 1, 1, 4, 1, ScaleFormat.Fp32, false, 0, true, 0, new CodebookDecoder(IntegerTypes.Symmetric(4))),
            [1], [-1f], null, null, tensorScale: float.NegativeInfinity);
        var packed = MatrixPacker.Pack(fp32);
        Assert.Equal([0x01, 0x00, 0x00, 0xF8, 0x0B, 0x00, 0x00, 0xF8, 0x0F], packed);
        Assert.Equal(float.NegativeInfinity, MatrixPacker.Unpack(fp32.Layout, packed).TensorScale);
    }

    [Fact]
    public void ScalesRoundIntoTheirFormats()
    {
        Assert.Equal((32, 16, 8, 8, 8), (ScaleCodec.Bits(ScaleFormat.Fp32), ScaleCodec.Bits(ScaleFormat.Fp16), ScaleCodec.Bits(ScaleFormat.E8M0),
            ScaleCodec.Bits(ScaleFormat.E4M3), ScaleCodec.Bits(ScaleFormat.Int8RowScaled)));
        Assert.Equal(0.1f, ScaleCodec.Round(ScaleFormat.Fp32, 0.1f));
        Assert.Equal((float)(Half)0.1f, ScaleCodec.Round(ScaleFormat.Fp16, 0.1f));
        // FP16: at most 65504; never below 2^-24; a subnormal rounds up (3·10^-7 lies between 5 and 6 · 2^-24).
        Assert.Equal(65504f, ScaleCodec.Round(ScaleFormat.Fp16, 1e6f));
        Assert.Equal(ScaleCodec.MinFp16Scale, ScaleCodec.Round(ScaleFormat.Fp16, 1e-12f));
        Assert.Equal((float)Math.ScaleB(6, -24), ScaleCodec.Round(ScaleFormat.Fp16, 3e-7f));
        Assert.Equal((float)Math.ScaleB(5, -24), ScaleCodec.Round(ScaleFormat.Fp16, (float)Math.ScaleB(5, -24)));
        // A normal FP16 value rounds to nearest, also downwards: 1 + 2^-12 is below the midpoint of 1 and 1 + 2^-10.
        Assert.Equal(1f, ScaleCodec.Round(ScaleFormat.Fp16, 1 + (float)Math.ScaleB(1, -12)));
        Assert.Equal((float)Math.ScaleB(1, -14), ScaleCodec.MinNormalFp16Scale);
        // E8M0: 2^floor(log2 s), exponent clamped to ±127; code = exponent + 127, 255 is NaN.
        Assert.Equal(4f, ScaleCodec.Round(ScaleFormat.E8M0, 7.9f));
        Assert.Equal((float)Math.ScaleB(1, 127), ScaleCodec.Round(ScaleFormat.E8M0, float.MaxValue));
        Assert.Equal((float)Math.ScaleB(1, -127), ScaleCodec.Round(ScaleFormat.E8M0, float.Epsilon));
        Assert.Equal((129u, 127u, 0u), (ScaleCodec.Encode(ScaleFormat.E8M0, 4f), ScaleCodec.Encode(ScaleFormat.E8M0, 1f), ScaleCodec.Encode(ScaleFormat.E8M0, (float)Math.ScaleB(1, -127))));
        Assert.Equal(0.25f, ScaleCodec.Decode(ScaleFormat.E8M0, 125));
        Assert.True(float.IsNaN(ScaleCodec.Decode(ScaleFormat.E8M0, 255)));
        Assert.Equal((float)Math.ScaleB(1, 127), ScaleCodec.Decode(ScaleFormat.E8M0, 254));
        // E4M3 0 1000 010 = 2^1 · 1.25 = 2.5.
        Assert.Equal((0x42u, 2.5f), (ScaleCodec.Encode(ScaleFormat.E4M3, 2.5f), ScaleCodec.Decode(ScaleFormat.E4M3, 0x42)));
        Assert.Equal(2.5f, ScaleCodec.Round(ScaleFormat.E4M3, 2.6f));
        Assert.Equal((0x3E000000u, 0.125f), (ScaleCodec.Encode(ScaleFormat.Fp32, 0.125f), ScaleCodec.Decode(ScaleFormat.Fp32, 0x3E000000)));
        Assert.Equal((0x3000u, 0.125f), (ScaleCodec.Encode(ScaleFormat.Fp16, 0.125f), ScaleCodec.Decode(ScaleFormat.Fp16, 0x3000)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaleCodec.Round(ScaleFormat.Int8RowScaled, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaleCodec.Encode(ScaleFormat.Int8RowScaled, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaleCodec.Decode(ScaleFormat.Int8RowScaled, 1));
    }

    [Fact]
    public void WeightMatricesCheckTheirShape()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightMatrix(0, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightMatrix(1, 0, []));
        Assert.StartsWith("2 x 3 matrix needs 6 values, got 5", Assert.Throws<ArgumentException>(() => new WeightMatrix(2, 3, new float[5])).Message);
        var w = new WeightMatrix(2, 3, [0, 1, 2, 3, 4, float.PositiveInfinity]);
        Assert.Equal([3f, 4f, float.PositiveInfinity], w.Row(1).ToArray());
        Assert.Equal($"q: element [1, 2] is {float.PositiveInfinity}; weights must be finite",
            Assert.Throws<InvalidDataException>(() => w.EnsureFinite("q")).Message);
        new WeightMatrix(1, 1, [float.MaxValue]).EnsureFinite("ok");
    }

    [Fact]
    public void QuantizerConstructorsRefuseWhatTheyCannotStore()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitmodQuantizer(4, groupSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitmodQuantizer(4, scaleFormat: ScaleFormat.E8M0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitmodQuantizer(5));
        Assert.Equal(["bitmod4-fp16s-g128", "bitmod3-fp32s-g64", "bitmod4-g32"],
            new[] { new BitmodQuantizer(4), new BitmodQuantizer(3, 64, ScaleFormat.Fp32), new BitmodQuantizer(4, 32, ScaleFormat.Int8RowScaled) }.Select(q => q.Name));
        Assert.True(new BitmodQuantizer(4, 32, ScaleFormat.Int8RowScaled).TwoLevel);
        Assert.False(new BitmodQuantizer(4, 32, ScaleFormat.Fp32).TwoLevel);
        Assert.StartsWith("OliVe chooses between int and flint normals at 4 bits", Assert.Throws<ArgumentOutOfRangeException>(() => new OvpAutoQuantizer(8)).Message);
        Assert.Equal(("ovp4-auto", "ovp4-auto-mse"), (new OvpAutoQuantizer(4).Name, new OvpAutoQuantizer(4, OvpQuantizer.OliveSearch).Name));
        Assert.Equal(("ovp4-int", "ovp4-flint-mse", "ovp8-int"), (new OvpQuantizer(OvpFormat.Int4).Name, new OvpQuantizer(OvpFormat.Flint4, OvpQuantizer.OliveSearch).Name, OvpFormat.Int8.Name));
        Assert.StartsWith("OVP has 4 or 8 bits", Assert.Throws<ArgumentOutOfRangeException>(() => new OvpFormat(6, OvpNormalKind.Int)).Message);
        Assert.StartsWith("asymmetric quantization needs an unsigned integer codebook, not int4",
            Assert.Throws<ArgumentException>(() => new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.PerChannel, asymmetric: true)).Message);
        var repeated = new Codebook("repeated", 2, [0.0, 1, 1, 2], TieRule.LowerValue);
        Assert.StartsWith("asymmetric quantization needs an unsigned integer codebook, not repeated",
            Assert.Throws<ArgumentException>(() => new CodebookQuantizer(repeated, Granularity.PerChannel, asymmetric: true)).Message);
        var negative = new Codebook("neg", 1, [-2.0, -1], TieRule.LowerValue);
        Assert.StartsWith("neg has no positive value to map the clip onto",
            Assert.Throws<ArgumentException>(() => new CodebookQuantizer(negative, Granularity.PerChannel, clipTarget: ClipTarget.LargestPositive)).Message);
        Assert.StartsWith("no candidate datatypes", Assert.Throws<ArgumentException>(() => PerTensorChoice.Best([], new WeightMatrix(1, 1, [1f]), null)).Message);
        Assert.Equal(["uint4-asym-pc", "int4-pt-mse", "x"], new[]
        {
            new CodebookQuantizer(IntegerTypes.Unsigned(4), Granularity.PerChannel, asymmetric: true),
            new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.PerTensor, clipSearch: ClipSearch.Ant),
            new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.PerTensor, name: "x"),
        }.Select(q => q.Name));
    }
}
