using HwSim.Numerics.DataTypes;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Packing;

namespace HwSim.Tests.Numerics;

public class QuantizerTests
{
    private const int Rows = 8, Cols = 256;
    private static readonly WeightMatrix Weights = SyntheticWeightsForTests.Small(Rows, Cols, seed: 2);

    public static TheoryData<string, double> StatedBits() => new()
    {
        // Effective bits per weight from the formats' definitions, all per-group and per-tensor data included.
        { "int4", 4 + 16.0 / 128 },
        { "int4-asym", 4 + (16.0 + 4) / 128 },
        { "int8", 8 + 16.0 / 128 },
        { "fp4", 4 + 16.0 / 128 },
        { "flint4", 4 + 16.0 / 128 },
        { "bitmod4", 4 + (16.0 + 2) / 128 },
        { "bitmod3", 3 + (16.0 + 2) / 128 },
        { "mxfp4", 4 + 8.0 / 32 },
        { "mxfp6_e2m3", 6 + 8.0 / 32 },
        { "mxfp8_e4m3", 8 + 8.0 / 32 },
        { "mxint8", 8 + 8.0 / 32 },
        { "nvfp4", 4 + 8.0 / 16 + 32.0 / (Rows * Cols) },
        { "ovp4", 4 + 16.0 / Cols },
        { "ovp8", 8 + 16.0 / Cols },
        { "ant4", 4 + 16.0 / Cols + 2.0 / (Rows * Cols) },
    };

    [Theory]
    [MemberData(nameof(StatedBits))]
    public void PackedSizeEqualsTheStatedEffectiveBitsAndUnpacksExactly(string name, double bits)
    {
        var q = QuantizerCatalog.Create(name).Quantize(Weights);
        Assert.Equal(bits, q.Layout.EffectiveBits, 12);
        var packed = MatrixPacker.Pack(q);
        Assert.Equal((long)Math.Ceiling(bits * Rows * Cols / 8 - 1e-9), packed.Length);
        var unpacked = MatrixPacker.Unpack(q.Layout, packed);
        Assert.Equal(q.Codes, unpacked.Codes);
        Assert.Equal(q.Scales, unpacked.Scales);
        Assert.Equal(q.ZeroPoints, unpacked.ZeroPoints);
        Assert.Equal(q.TypeIds, unpacked.TypeIds);
        Assert.Equal(q.TensorScale, unpacked.TensorScale);
        Assert.Equal(q.TensorTypeId, unpacked.TensorTypeId);
        Assert.Equal(q.Dequantize(), unpacked.Dequantize());
        Assert.Throws<InvalidDataException>(() => MatrixPacker.Unpack(q.Layout, packed[..^1]));
    }

    [Fact]
    public void PerTensorScaleIsStoredOnce()
    {
        var q = new CodebookQuantizer(IntegerTypes.Symmetric(8), Granularity.PerTensor).Quantize(Weights);
        Assert.Equal(8 + 16.0 / (Rows * Cols), q.Layout.EffectiveBits, 12);
        Assert.Single(q.Scales.Distinct());
        Assert.Equal(q.Dequantize(), MatrixPacker.Unpack(q.Layout, MatrixPacker.Pack(q)).Dequantize());
    }

    [Fact]
    public void SymmetricIntegerQuantizationMatchesTheClosedForm()
    {
        float[] w = [0.7f, -0.35f, 0.1f, -0.05f];
        var q = new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.PerChannel, ScaleFormat.Fp32).Quantize(new WeightMatrix(1, 4, w));
        float scale = 0.7f / 7;
        Assert.Equal(scale, q.Scales[0]);
        Assert.Equal(w.Select(v => (float)Math.Round(v / scale, MidpointRounding.ToEven) * scale), q.Dequantize());
    }

    [Fact]
    public void AsymmetricIntegersUseAZeroPoint()
    {
        float[] w = [0.0f, 1.5f, 3.0f, 0.75f];
        var q = new CodebookQuantizer(IntegerTypes.Unsigned(2), Granularity.PerChannel, ScaleFormat.Fp32, asymmetric: true)
            .Quantize(new WeightMatrix(1, 4, w));
        Assert.Equal(1f, q.Scales[0]);
        Assert.Equal(0, q.ZeroPoints![0]);
        Assert.Equal([0f, 2f, 3f, 1f], q.Dequantize()); // 1.5 -> 2 and 0.75 -> 1 (nearest, ties to even)
        var shifted = new CodebookQuantizer(IntegerTypes.Unsigned(2), Granularity.PerChannel, ScaleFormat.Fp32, asymmetric: true)
            .Quantize(new WeightMatrix(1, 4, [-1f, 0f, 1f, 2f]));
        Assert.Equal(1, shifted.ZeroPoints![0]);
        Assert.Equal([-1f, 0f, 1f, 2f], shifted.Dequantize());
    }

    [Fact]
    public void MseClipSearchIsNeverWorseThanAbsMax()
    {
        foreach (var name in new[] { "int3", "int4-asym", "fp4", "flint4" })
        {
            double absMax = ErrorMetrics.SumSquaredError(Weights.Values, QuantizerCatalog.Create(name).Quantize(Weights).Dequantize());
            double mse = ErrorMetrics.SumSquaredError(Weights.Values, QuantizerCatalog.Create(name, clip: ClipMode.Mse).Quantize(Weights).Dequantize());
            Assert.True(mse <= absMax, $"{name}: {mse} > {absMax}");
        }
    }

    [Fact]
    public void MxBlocksShareAPowerOfTwoScaleFromTheBlockMaximum()
    {
        // Block max 10: floor(log2 10) = 3, E2M1 emax = 2, so X = 2^1 and 10 / 2 = 5 rounds (ties to even) to 4.
        var w = new float[32];
        w[0] = 10;
        w[1] = -3;
        w[2] = 0.2f;
        var q = MxQuantizer.Fp4.Quantize(new WeightMatrix(1, 32, w));
        Assert.Equal(2f, q.Scales[0]);
        var d = q.Dequantize();
        Assert.Equal([8f, -3f, 0f], d[..3]);
        var zeros = MxQuantizer.Fp4.Quantize(new WeightMatrix(1, 32, new float[32]));
        Assert.Equal((float)Math.ScaleB(1.0, -127), zeros.Scales[0]);
        Assert.Equal(-127 + 0, MxQuantizer.Int8.SharedExponent(0));
        Assert.Equal(1 - 8, MxQuantizer.Fp8E4M3.SharedExponent(3.5f));
    }

    [Fact]
    public void Nvfp4UsesE4M3BlockScalesUnderAnFp32TensorScale()
    {
        var w = new float[32];
        for (int i = 0; i < 32; i++) w[i] = (i % 7 - 3) * (i < 16 ? 1f : 0.01f);
        var q = new Nvfp4Quantizer().Quantize(new WeightMatrix(1, 32, w));
        Assert.Equal(3f / (448 * 6), q.TensorScale);
        Assert.Equal(448f, q.Scales[0]); // the block holding the tensor maximum uses the top of E4M3
        Assert.Equal((float)MiniFloat.Fp8E4M3.Quantize(0.03 / 6 / q.TensorScale), q.Scales[1]);
        // Block 0: w / (448 t) = 2w lands exactly on E2M1; dequantization multiplies back in float.
        Assert.Equal(w[..16].Select(v => 2 * v * 448f * q.TensorScale), q.Dequantize()[..16]);
    }

    [Fact]
    public void AntPicksTheTypeWithTheSmallestError()
    {
        var ant = new AntAdaptiveQuantizer(4);
        var q = ant.Quantize(Weights);
        double chosen = ErrorMetrics.SumSquaredError(Weights.Values, q.Dequantize());
        foreach (var candidate in ant.Candidates)
            Assert.True(chosen <= ErrorMetrics.SumSquaredError(Weights.Values, candidate.Quantize(Weights).Dequantize()));
        Assert.Equal(ant.Candidates[q.TensorTypeId].Codebook.Name, ((CodebookDecoder)q.Layout.Decoder).Codebooks[0].Name);
    }

    [Fact]
    public void CatalogRejectsUnknownNamesAndWidths()
    {
        Assert.Contains("unknown datatype 'int4x'", Assert.Throws<FormatException>(() => QuantizerCatalog.Create("int4x")).Message);
        Assert.Contains("width 9", Assert.Throws<FormatException>(() => QuantizerCatalog.Create("int9")).Message);
        Assert.Contains("width 7", Assert.Throws<FormatException>(() => QuantizerCatalog.Create("flint7")).Message);
    }

    [Fact]
    public void NonFiniteWeightsAreRejectedWithTheirPosition()
    {
        var w = new float[8];
        w[5] = float.NaN;
        var error = Assert.Throws<InvalidDataException>(() => QuantizerCatalog.Create("bitmod4").Quantize(new WeightMatrix(2, 4, w)));
        Assert.Contains("[1, 1]", error.Message);
    }

    [Fact]
    public void SyntheticWeightsAreReproducibleAndHaveOutlierChannels()
    {
        var spec = new SyntheticSpec(64, 256, Seed: 11, OutlierChannels: 4, OutlierMagnitude: 20);
        var a = SyntheticWeights.Generate(spec);
        Assert.Equal(a.Values, SyntheticWeights.Generate(spec).Values);
        Assert.NotEqual(a.Values, SyntheticWeights.Generate(spec with { Seed = 12 }).Values);
        var columnRms = Enumerable.Range(0, 256)
            .Select(c => Math.Sqrt(Enumerable.Range(0, 64).Average(r => Math.Pow(a.Values[r * 256 + c], 2)))).Order().ToArray();
        Assert.True(columnRms[^4] > 4 * columnRms[^5], "four columns stand out");
        Assert.Contains("OutlierChannels", Assert.Throws<InvalidDataException>(() => SyntheticWeights.Generate(spec with { OutlierChannels = 300 })).Message);
    }
}
