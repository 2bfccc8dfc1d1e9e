using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Tests.Numerics;

/// <summary>
/// Each quantizer's scale rule at its ends, worked out by hand: the clip targets of the codebook quantizer, zero
/// groups, BitMoD's row and group scales, MX shared exponents, NVFP4 block scales, OVP boundaries and minifloat limits.
/// </summary>
public class ScaleRuleTests
{
    private static QuantizedMatrix Quantize(IWeightQuantizer quantizer, params float[] row) => quantizer.Quantize(new WeightMatrix(1, row.Length, row));

    [Fact]
    public void ClipTargetsMapTheAbsMaxOntoTheirValue()
    {
        // Two's-complement int4 (−8 … 7), absmax 1.6: largest magnitude 8 -> scale 0.2; largest positive 7 -> 1.6/7;
        // GPTQ range (7 − (−8)) / 2 = 7.5 -> 1.6/7.5, and for a group without negative weights half of that.
        var full = IntegerTypes.TwosComplement(4);
        Assert.Equal(0.2f, Quantize(new CodebookQuantizer(full, Granularity.PerChannel, ScaleFormat.Fp32), 1.6f, -0.4f).Scales[0]);
        Assert.Equal((float)(1.6f / 7.0), Quantize(new CodebookQuantizer(full, Granularity.PerChannel, ScaleFormat.Fp32, clipTarget: ClipTarget.LargestPositive), -1.6f, 0.4f).Scales[0]);
        Assert.Equal((float)(1.6f / 7.5), Quantize(new CodebookQuantizer(full, Granularity.PerChannel, ScaleFormat.Fp32, clipTarget: ClipTarget.GptqRange), 1.6f, -0.4f).Scales[0]);
        Assert.Equal((float)(1.6f / 2 / 7.5), Quantize(new CodebookQuantizer(full, Granularity.PerChannel, ScaleFormat.Fp32, clipTarget: ClipTarget.GptqRange), 1.6f, 0.4f).Scales[0]);
        // The largest magnitude is the negative end here: −1.6 maps onto −8.
        Assert.Equal(0.2f, Quantize(new CodebookQuantizer(full, Granularity.PerChannel, ScaleFormat.Fp32), -1.6f, 0.4f).Scales[0]);
    }

    [Fact]
    public void ZeroGroupsGetScaleOneAndZeroCodes()
    {
        var q = new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.Group(2), ScaleFormat.Fp16).Quantize(new WeightMatrix(1, 4, [0, 0, 0.5f, -0.25f]));
        Assert.Equal(1f, q.Scales[0]);
        Assert.Equal([0, 0], q.Codes[..2]);
        Assert.Equal((float)(Half)(0.5f / 7), q.Scales[1]);
        var asym = new CodebookQuantizer(IntegerTypes.Unsigned(4), Granularity.Group(2), ScaleFormat.Fp32, asymmetric: true).Quantize(new WeightMatrix(1, 4, [0, 0, -1.5f, 0]));
        Assert.Equal((1f, (byte)0), (asym.Scales[0], asym.ZeroPoints![0]));
        // Range [−1.5, 0] onto 0 … 15: scale 0.1, zero point round(15) = 15.
        Assert.Equal((0.1f, (byte)15), (asym.Scales[1], asym.ZeroPoints[1]));
        Assert.Equal([0f, 0f, -1.5f, 0f], asym.Dequantize());
    }

    [Fact]
    public void PerTensorScalesComeFromTheWholeMatrix()
    {
        // Absmax 3.5 over both rows: scale 0.5 for int4 (7 levels), shared by every group and stored once.
        var q = new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.PerTensor, ScaleFormat.Fp32).Quantize(new WeightMatrix(2, 2, [0.5f, -1, 3.5f, 0.25f]));
        Assert.Equal([0.5f, 0.5f], q.Scales);
        Assert.Equal([0.5f, -1, 3.5f, 0], q.Dequantize()); // 0.25 / 0.5 = 0.5 ties to the even 0
        Assert.True(q.Layout.OneScalePerTensor);
        var asym = new CodebookQuantizer(IntegerTypes.Unsigned(2), Granularity.PerTensor, ScaleFormat.Fp32, asymmetric: true).Quantize(new WeightMatrix(2, 2, [-1, 0, 1, 2]));
        Assert.Equal([1f, 1f], asym.Scales);
        Assert.Equal([1, 1], asym.ZeroPoints!);
        var zeros = new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.PerTensor).Quantize(new WeightMatrix(1, 2, [0, 0]));
        Assert.Equal([1f], zeros.Scales);
    }

    [Fact]
    public void AsymmetricSearchKeepsTheClipWithTheLeastError()
    {
        // Range [−3, 1] onto 0 … 3. Fraction 0.5: scale 2/3, zero point round(2.25) = 2, codes 0 and 3 (3.5 saturates)
        // -> −4/3 and 2/3, error 25/9 + 1/9. Fraction 1: scale 4/3, zero point 2, codes 0 (−0.25) and 3 (2.75)
        // -> −8/3 and 4/3, error 1/9 + 1/9: the full range wins.
        var quantizer = new CodebookQuantizer(IntegerTypes.Unsigned(2), Granularity.PerChannel, ScaleFormat.Fp32, new ClipSearch(0.5, 1.01, 0.5), asymmetric: true);
        Assert.Equal([0.5, 1.0], quantizer.Fractions);
        var q = Quantize(quantizer, -3, 1);
        Assert.Equal(((float)(4.0 / 3), (byte)2), (q.Scales[0], q.ZeroPoints![0]));
        Assert.Equal([-2 * (float)(4.0 / 3), (float)(4.0 / 3)], q.Dequantize());
    }

    [Fact]
    public void ClipSearchKeepsTheFirstOfEqualErrors()
    {
        // PoT4 (±1 … ±64) and a weight of 4: the clips 4 and 8 (fractions 1 and 2) give scales 1/16 and 1/8, and 4
        // lands on 64 and on 32 — both exact. The first candidate keeps its place.
        var q = Quantize(new CodebookQuantizer(AntTypes.PowerOfTwo(4, signed: true), Granularity.PerChannel, ScaleFormat.Fp32, new ClipSearch(1, 2.5, 1)), 4f);
        Assert.Equal(0.0625f, q.Scales[0]);
        Assert.Equal([4f], q.Dequantize());
        // The same first-wins rule across ANT's and OliVe's per-tensor candidates and BitMoD's per-group ones: a zero
        // matrix errs by nothing in every candidate and keeps the first.
        var zeros = new WeightMatrix(2, 4, new float[8]);
        Assert.Equal(0, new AntAdaptiveQuantizer(4).Quantize(zeros).TensorTypeId);
        Assert.Equal(0, new OvpAutoQuantizer(4).Quantize(zeros).TensorTypeId);
        Assert.Equal([(byte)0, (byte)0], new BitmodQuantizer(4, 4).Quantize(zeros).TypeIds!);
    }

    [Fact]
    public void BitmodRowAndGroupScales()
    {
        // bitmod4: the smallest candidate max is 12 (ER: 10 < 12, the FP4 grid's 12 stays the largest magnitude), so
        // γ = FP16(absmax / 12 / 255); group multiples round half to even and stay within 1 … 255.
        var quantizer = new BitmodQuantizer(4, 128, ScaleFormat.Int8RowScaled);
        Assert.Equal((float)(Half)(3.06f / 12 / 255), quantizer.RowScale(3.06f));
        Assert.Equal((float)(Half)(BitmodQuantizer.MinScale / 255), quantizer.RowScale(0));
        Assert.Equal((float)(Half)(BitmodQuantizer.MaxScale / 255), quantizer.RowScale(1e9f));
        Assert.Equal(2f, quantizer.GroupScale(2.5f, 1f));   // 2.5 -> 2 (even)
        Assert.Equal(4f, quantizer.GroupScale(3.5f, 1f));   // 3.5 -> 4 (even)
        Assert.Equal(1f, quantizer.GroupScale(0.01f, 1f));  // floor 1
        Assert.Equal(255f, quantizer.GroupScale(1e6f, 1f)); // ceiling 255
        Assert.Equal(0.75f, quantizer.GroupScale(0.7f, 0.25f));
        var fp16 = new BitmodQuantizer(4, 128, ScaleFormat.Fp16);
        Assert.Equal((float)(Half)0.1f, fp16.GroupScale(0.1f, 123f));
        Assert.Equal(0.1f, new BitmodQuantizer(4, 128, ScaleFormat.Fp32).GroupScale(0.1f, 0));
        // A group of zeros takes the floor scale 1e-5 in FP16 and codes 0.
        var zeros = Quantize(new BitmodQuantizer(3, 4, ScaleFormat.Fp32), 0, 0, 0, 0);
        Assert.Equal([BitmodQuantizer.MinScale], zeros.Scales);
        Assert.Equal([0, 0, 0, 0], zeros.Codes);
    }

    [Fact]
    public void BitmodGroupsShorterThanTheGroupSizeUseTheMatrixWidth()
    {
        // Four weights with groups of 128: one group of 4. ER_POS (scale 4/4 = 1) holds [3, 4, −1, 2] exactly; ER_NEG
        // sends 3 to 2 (tie, lower), EA_POS and EA_NEG (scale 4/6) miss 3 and 2.
        var q = Quantize(new BitmodQuantizer(3, 128, ScaleFormat.Fp32), 3, 4, -1, 2);
        Assert.Equal(4, q.Layout.GroupSize);
        Assert.Equal([(byte)0], q.TypeIds!);
        Assert.Equal([1f], q.Scales);
        Assert.Equal([3f, 4, -1, 2], q.Dequantize());
    }

    [Fact]
    public void MxSharedExponentsClampAtTheE8M0Range()
    {
        // floor(log2 absmax) − emax: E2M1 emax = 2, E3M2 emax = 4, E4M3 emax = 8, INT8 elements (max 127/64) emax = 0;
        // float's largest exponent 127 thus never passes the upper clamp, the least subnormal (2^-149) hits the lower one.
        Assert.Equal((1, -2, 127, -127), (MxQuantizer.Fp4.SharedExponent(12f), MxQuantizer.Fp4.SharedExponent(1f), MxQuantizer.Fp6E3M2.SharedExponent(float.MaxValue) + 4, MxQuantizer.Fp8E4M3.SharedExponent(float.Epsilon)));
        Assert.Equal((0, 2), (MxQuantizer.Int8.SharedExponent(1.5f), MxQuantizer.Int8.SharedExponent(4f)));
        Assert.Equal(-125, MxQuantizer.Fp4.SharedExponent((float)Math.ScaleB(1, -123)));
        Assert.Equal(-127, MxQuantizer.Fp4.SharedExponent((float)Math.ScaleB(1, -125)));
        Assert.Equal(["mxfp4", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp8_e4m3", "mxfp8_e5m2", "mxint8"],
            new[] { MxQuantizer.Fp4, MxQuantizer.Fp6E2M3, MxQuantizer.Fp6E3M2, MxQuantizer.Fp8E4M3, MxQuantizer.Fp8E5M2, MxQuantizer.Int8 }.Select(q => q.Name));
        Assert.Equal(127 / 64.0, MxQuantizer.Int8.Element.MaxValue);
        // Blocks of 32 along a row of 40: two blocks, the second of 8.
        var w = new float[40];
        w[0] = 6;
        w[39] = 0.75f;
        var q = MxQuantizer.Fp4.Quantize(new WeightMatrix(1, 40, w));
        Assert.Equal([1f, 0.125f], q.Scales); // 2^(2 − 2), 2^(−1 − 2)
        Assert.Equal(0.75f, q.Dequantize()[39]);
    }

    [Fact]
    public void Nvfp4BlockScalesClampAndZeroBlocksTakeOne()
    {
        Assert.Equal(1f, Nvfp4Quantizer.BlockScale(0, 1));
        Assert.Equal(448f, Nvfp4Quantizer.BlockScale(1e9f, 1));
        Assert.Equal(Nvfp4Quantizer.MinBlockScale, Nvfp4Quantizer.BlockScale(1e-9f, 1));
        Assert.Equal(2f, Nvfp4Quantizer.BlockScale(12f, 1)); // 12 / 6 = 2, exact in E4M3
        Assert.Equal(2f, Nvfp4Quantizer.BlockScale(3f, 0.25f)); // 3 / (6 · 0.25)
        Assert.Equal("nvfp4", new Nvfp4Quantizer().Name);
        // An all-zero matrix: tensor scale 1, block scale 1, codes 0.
        var zeros = new Nvfp4Quantizer().Quantize(new WeightMatrix(1, 16, new float[16]));
        Assert.Equal((1f, 1f), (zeros.TensorScale, zeros.Scales[0]));
        Assert.All(zeros.Codes, c => Assert.Equal(0, c));
    }

    [Fact]
    public void OvpBoundariesAreMidpointsBetweenTheLargestNormalAndTheSmallestOutlier()
    {
        // int4 normals end at 28, flint4 normals at 32, int8 normals at 31.75; the smallest abfloat is 48 (4 bits), 33 (8 bits).
        Assert.Equal((38.0, 40.0, 32.375), (OvpFormat.Int4.OutlierBoundary, OvpFormat.Flint4.OutlierBoundary, OvpFormat.Int8.OutlierBoundary));
        Assert.Equal((8, 8, 128), (OvpFormat.Int4.Identifier, OvpFormat.Flint4.Identifier, OvpFormat.Int8.Identifier));
        Assert.Equal((48.0, true), OvpFormat.Int4.NearestInUnion(38));
        Assert.Equal((-48.0, true), OvpFormat.Int4.NearestInUnion(-38));
        Assert.Equal((28.0, false), OvpFormat.Int4.NearestInUnion(37.99));
        Assert.Equal((-28.0, false), OvpFormat.Int4.NearestInUnion(-37.99));
        Assert.Equal((384.0, true), OvpFormat.Int4.NearestInUnion(1e6));
        Assert.Equal((OvpNormalKind.Flint, 4), (OvpFormat.Flint4.NormalKind, OvpFormat.Flint4.Bits));
        // A zero row quantizes with scale 1 (FP16) and decodes to zeros.
        var zeros = new OvpQuantizer(OvpFormat.Int4, OvpQuantizer.OliveSearch).Quantize(new WeightMatrix(1, 3, new float[3]));
        Assert.Equal([1f], zeros.Scales);
        Assert.Equal([0f, 0f, 0f], zeros.Dequantize());
        var absMax = new OvpQuantizer(OvpFormat.Int4).Quantize(new WeightMatrix(1, 3, new float[3]));
        Assert.Equal([1f], absMax.Scales);
    }

    [Fact]
    public void OvpWithoutSearchMapsTheAbsMaxOntoTheLargestNormal()
    {
        // absmax 2.8: scale 2.8 / 28 = 0.1 (FP16), so 2.8 -> 28 and 1.2 -> 12; an odd row ends in an unpaired normal.
        var q = new OvpQuantizer(OvpFormat.Int4, scaleFormat: ScaleFormat.Fp32).Quantize(new WeightMatrix(1, 3, [2.8f, -1.2f, 0.4f]));
        Assert.Equal((float)(2.8f / 28.0), q.Scales[0]);
        Assert.Equal(ScaleFormat.Fp32, new OvpQuantizer(OvpFormat.Int4, scaleFormat: ScaleFormat.Fp32).ScaleFormat);
        Assert.Equal([28f, -12f, 4f], q.CodeValues());
    }

    [Fact]
    public void OvpSearchUsesTheMeanPlusThreeSigmaReference()
    {
        // Row [1, −1, 1, −1]: mean 0, σ 1, reference |0 ± 3σ| = 3, clips 0.75 · 3 … 2.49 · 3 onto 28. The clip 2.3 · 3
        // (scale 0.246) puts ±1 at ±4.06, reconstructed as ±0.986; the reference alone (scale 3/28) would give
        // 9.33 -> 8 -> ±0.857. The search keeps a clip within 2% of ±1.
        var q = new OvpQuantizer(OvpFormat.Int4, OvpQuantizer.OliveSearch, ScaleFormat.Fp32).Quantize(new WeightMatrix(1, 4, [1, -1, 1, -1]));
        foreach (float v in q.Dequantize().Zip([1f, -1, 1, -1], (a, b) => a - b)) Assert.InRange(v, -0.02f, 0.02f);
    }

    [Fact]
    public void MiniFloatConstructorsAndSpecials()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniFloat("x", 0, 2, 1, FloatSpecials.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniFloat("x", 9, 2, 1, FloatSpecials.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniFloat("x", 2, -1, 1, FloatSpecials.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniFloat("x", 2, 24, 1, FloatSpecials.None));
        Assert.StartsWith("an all-ones NaN needs at least one mantissa bit",
            Assert.Throws<ArgumentException>(() => new MiniFloat("x", 4, 0, 7, FloatSpecials.NanOnlyAllOnes)).Message);
        Assert.Equal(32, new MiniFloat("e8m23", 8, 23, 127, FloatSpecials.Ieee).Bits);
        // IEEE NaN: exponent all ones with the top mantissa bit (quiet NaN): FP16 0x7E00, E5M2 0x7E.
        Assert.Equal((0x7E00u, 0x7Eu, 0x7Fu), (MiniFloat.Fp16.Encode(double.NaN), MiniFloat.Fp8E5M2.Encode(double.NaN), MiniFloat.Fp8E4M3.Encode(double.NaN)));
        Assert.True(MiniFloat.Fp16.IsNaN(0x7C01) && !MiniFloat.Fp16.IsNaN(0x7C00) && !MiniFloat.Fp8E4M3.IsNaN(0x7E) && MiniFloat.Fp8E4M3.IsNaN(0xFF));
        Assert.False(MiniFloat.Fp4E2M1.IsNaN(0xF));
        Assert.Equal(double.NegativeInfinity, MiniFloat.Fp16.Decode(0xFC00));
        Assert.Equal(6, MiniFloat.Fp4E2M1.Decode(0x7));
        Assert.Equal(-0.0, MiniFloat.Fp4E2M1.Decode(0x8));
        Assert.True(double.IsNegative(MiniFloat.Fp4E2M1.Decode(0x8)));
        Assert.Equal(0x8u, MiniFloat.Fp4E2M1.Encode(-0.0));
        Assert.Equal(0x8u, MiniFloat.Fp4E2M1.Encode(-0.2)); // rounds to −0
        Assert.StartsWith("not a 4-bit fp4_e2m1 code", Assert.Throws<ArgumentOutOfRangeException>(() => MiniFloat.Fp4E2M1.Decode(16)).Message);
        Assert.StartsWith("fp16 has 16 bits; codebooks hold at most 8", Assert.Throws<InvalidOperationException>(() => MiniFloat.Fp16.ToCodebook()).Message);
        Assert.StartsWith("fp4_e2m1 has no NaN", Assert.Throws<ArgumentException>(() => MiniFloat.Fp4E2M1.Encode(double.NaN)).Message);
        Assert.Equal((7.5, 0, 1), (MiniFloat.Fp6E2M3.MaxFinite, MiniFloat.Fp6E2M3.MinNormalExponent, MiniFloat.Fp6E2M3.Bias));
        Assert.Equal("fp8_e4m3", MiniFloat.Fp8E4M3.ToString());
        Assert.Equal(["fp8_e5m2", "fp8_e4m3", "fp6_e3m2", "fp6_e2m3", "fp4_e2m1", "fp3_e2m0"], MiniFloat.SmallFormats.Select(f => f.Name));
        // Subnormals: E4M3 0x01 = 2^-9; 2^-10 ties to even 0, 3 · 2^-10 ties to even 2 · 2^-9.
        Assert.Equal((0x01u, 0x00u, 0x02u), (MiniFloat.Fp8E4M3.Encode(Math.ScaleB(1, -9)), MiniFloat.Fp8E4M3.Encode(Math.ScaleB(1, -10)), MiniFloat.Fp8E4M3.Encode(Math.ScaleB(3, -10))));
        // Rounding carries into the exponent: E2M1 5.5 is nearer 6 than 4 … and 1.75 ties to even 2.
        Assert.Equal((0x7u, 0x4u), (MiniFloat.Fp4E2M1.Encode(5.5), MiniFloat.Fp4E2M1.Encode(1.75)));
        Assert.Equal(0x7Cu, MiniFloat.Fp8E5M2.Encode(double.PositiveInfinity));
        Assert.Equal(0x7u, MiniFloat.Fp4E2M1.Encode(double.PositiveInfinity));
    }
}
