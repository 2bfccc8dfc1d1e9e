using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Packing;

namespace HwSim.Tests.Numerics;

/// <summary>
/// The packed byte layout of each datatype family against bytes derived by hand: fields LSB-first, the first field
/// in the lowest bits of byte 0, no padding; codes row-major, then per group scale, zero point, type id, then the
/// FP32 tensor scale and the per-tensor type choice. Every case is one 1 × 4 matrix in one group of four, with
/// codes and scales chosen so that a field written MSB-first, in another order or at another offset changes a byte.
/// Round trips alone cannot see the bit order (a writer and reader flipped together still agree); these bytes can.
/// </summary>
public class PackedLayoutTests
{
    private static readonly WeightMatrix Weights = SyntheticWeightsForTests.Small(8, 256, seed: 2);

    /// <summary>The layout of <paramref name="scheme"/> for one row of four weights in a single group.</summary>
    private static QuantizedLayout LayoutOf(string scheme) =>
        QuantizerCatalog.Create(scheme).Quantize(Weights).Layout with { Rows = 1, Cols = 4, GroupSize = 4 };

    private static void AssertPacks(QuantizedMatrix matrix, byte[] expected)
    {
        Assert.Equal(expected, MatrixPacker.Pack(matrix));
        var back = MatrixPacker.Unpack(matrix.Layout, expected);
        Assert.Equal(matrix.Codes, back.Codes);
        Assert.Equal(matrix.Scales, back.Scales);
        Assert.Equal(matrix.ZeroPoints, back.ZeroPoints);
        Assert.Equal(matrix.TypeIds, back.TypeIds);
        Assert.Equal(matrix.TensorScale, back.TensorScale);
        Assert.Equal(matrix.TensorTypeId, back.TensorTypeId);
    }

    [Theory]
    [InlineData("int4")]
    [InlineData("fp4")]
    [InlineData("flint4")]
    [InlineData("ovp4")]
    public void FourBitCodesWithAnFp16Scale(string scheme)
    {
        var layout = LayoutOf(scheme);
        Assert.Equal((4, ScaleFormat.Fp16, false, 0, false, 0),
            (layout.CodeBits, layout.ScaleFormat, layout.HasZeroPoints, layout.TypeIdBits, layout.HasTensorScale, layout.TensorOverheadBits));
        // Codes 0x1, 0x2, 0xA, 0xF: byte 0 = code 0 | code 1 << 4 = 0x21, byte 1 = 0xA | 0xF << 4 = 0xFA.
        // Scale 1.0 = FP16 0x3C00, low byte first: 0x00, 0x3C. 32 bits.
        AssertPacks(new QuantizedMatrix(layout, [0x1, 0x2, 0xA, 0xF], [1f], null, null), [0x21, 0xFA, 0x00, 0x3C]);
    }

    [Fact]
    public void EightBitCodes()
    {
        var layout = LayoutOf("int8");
        Assert.Equal((8, ScaleFormat.Fp16), (layout.CodeBits, layout.ScaleFormat));
        // One byte per code in order; scale 2.0 = FP16 0x4000.
        AssertPacks(new QuantizedMatrix(layout, [0x81, 0x7F, 0x00, 0xC3], [2f], null, null), [0x81, 0x7F, 0x00, 0xC3, 0x00, 0x40]);
    }

    [Fact]
    public void AsymmetricIntegersStoreTheZeroPointAfterTheScale()
    {
        var layout = LayoutOf("int4-asym");
        Assert.Equal((4, ScaleFormat.Fp16, true, 0), (layout.CodeBits, layout.ScaleFormat, layout.HasZeroPoints, layout.TypeIdBits));
        // Codes 3, 0xC, 0, 9 -> 0xC3, 0x90; scale 0.5 = FP16 0x3800 -> 0x00, 0x38; zero point 8 in bits 32..35 -> 0x08.
        AssertPacks(new QuantizedMatrix(layout, [3, 0xC, 0, 9], [0.5f], [8], null), [0xC3, 0x90, 0x00, 0x38, 0x08]);
    }

    [Fact]
    public void ThreeBitBitmodCodesAndTheTypeIdCrossByteBoundaries()
    {
        var layout = LayoutOf("bitmod3-fp16s");
        Assert.Equal((3, ScaleFormat.Fp16, false, 2), (layout.CodeBits, layout.ScaleFormat, layout.HasZeroPoints, layout.TypeIdBits));
        // Codes 1, 2, 5, 7 at bits 0, 3, 6, 9: 1 | 2 << 3 | 5 << 6 | 7 << 9 = 0xF51 (bits 0..11).
        // Scale 1.0 = 0x3C00 at bits 12..27: byte 1 = 0x0F | (0x3C00 & 0xF) << 4 = 0x0F, byte 2 = (0x3C00 >> 4) & 0xFF
        // = 0xC0, byte 3 low nibble = 0x3C00 >> 12 = 0x3. Type id 2 at bits 28..29: byte 3 |= 2 << 4 -> 0x23. 30 bits.
        AssertPacks(new QuantizedMatrix(layout, [1, 2, 5, 7], [1f], null, [2]), [0x51, 0x0F, 0xC0, 0x23]);
    }

    [Fact]
    public void FourBitBitmodTypeIdFollowsTheScale()
    {
        var layout = LayoutOf("bitmod4-fp16s");
        Assert.Equal((4, ScaleFormat.Fp16, 2), (layout.CodeBits, layout.ScaleFormat, layout.TypeIdBits));
        // Codes 0xE, 0x1, 0x0, 0x8 -> 0x1E, 0x80; scale 0.25 = FP16 0x3400 -> 0x00, 0x34; type id 1 -> 0x01. 34 bits.
        AssertPacks(new QuantizedMatrix(layout, [0xE, 0x1, 0x0, 0x8], [0.25f], null, [1]), [0x1E, 0x80, 0x00, 0x34, 0x01]);
    }

    [Fact]
    public void TwoLevelBitmodStoresTheRowScaleThenEachGroupsEightBitMultiple()
    {
        var layout = LayoutOf("bitmod4");
        Assert.Equal((4, ScaleFormat.Int8RowScaled, 2, true), (layout.CodeBits, layout.ScaleFormat, layout.TypeIdBits, layout.HasRowScales));
        // Codes 0xE, 0x1, 0x0, 0x8 -> 0x1E, 0x80 (bits 0..15); row scale 0.25 = FP16 0x3400 -> 0x00, 0x34 (bits 16..31);
        // group scale 0.75 = 3 x the row scale: multiple 3 in 8 bits -> 0x03 (bits 32..39); type id 1 -> 0x01. 42 bits.
        var matrix = new QuantizedMatrix(layout, [0xE, 0x1, 0x0, 0x8], [0.75f], null, [1], rowScales: [0.25f]);
        AssertPacks(matrix, [0x1E, 0x80, 0x00, 0x34, 0x03, 0x01]);
        Assert.Equal([0.25f], MatrixPacker.Unpack(layout, [0x1E, 0x80, 0x00, 0x34, 0x03, 0x01]).RowScales!);
    }

    [Fact]
    public void MxCodesWithAnE8M0Scale()
    {
        var layout = LayoutOf("mxfp4");
        Assert.Equal((4, ScaleFormat.E8M0, false), (layout.CodeBits, layout.ScaleFormat, layout.HasTensorScale));
        // Codes 7, 8, 0, 1 -> 0x87, 0x10; scale 2.0 = E8M0 exponent 1 + bias 127 = 0x80. 24 bits.
        AssertPacks(new QuantizedMatrix(layout, [7, 8, 0, 1], [2f], null, null), [0x87, 0x10, 0x80]);
    }

    [Fact]
    public void Nvfp4StoresAnE4M3ScaleThenTheFp32TensorScale()
    {
        var layout = LayoutOf("nvfp4");
        Assert.Equal((4, ScaleFormat.E4M3, true), (layout.CodeBits, layout.ScaleFormat, layout.HasTensorScale));
        // Codes 0xF, 0, 5, 0xA -> 0x0F, 0xA5; scale 1.0 = E4M3 0 0111 000 = 0x38; tensor scale 0.25f = 0x3E800000,
        // low byte first: 0x00, 0x00, 0x80, 0x3E. 56 bits.
        AssertPacks(new QuantizedMatrix(layout, [0xF, 0, 5, 0xA], [1f], null, null, tensorScale: 0.25f),
            [0x0F, 0xA5, 0x38, 0x00, 0x00, 0x80, 0x3E]);
    }

    [Fact]
    public void AntStoresItsPerTensorTypeChoiceLast()
    {
        var layout = LayoutOf("ant4");
        Assert.Equal((4, ScaleFormat.Fp16, false, 2), (layout.CodeBits, layout.ScaleFormat, layout.HasTensorScale, layout.TensorOverheadBits));
        // Codes 1, 2, 3, 4 -> 0x21, 0x43; scale 1.0 -> 0x00, 0x3C; type choice 3 in bits 32..33 -> 0x03. 34 bits.
        AssertPacks(new QuantizedMatrix(layout, [1, 2, 3, 4], [1f], null, null, tensorTypeId: 3), [0x21, 0x43, 0x00, 0x3C, 0x03]);
    }
}
