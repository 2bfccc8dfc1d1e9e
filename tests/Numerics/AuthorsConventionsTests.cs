using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;
using HwSim.Numerics.Quantization.Packing;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Numerics;

/// <summary>
/// Each quantizer convention taken from the authors' code, pinned with values worked out by hand from their formulas:
/// ANT and OliVe (clevercool/ANT-Quantization @bc84067), GPTQ (IST-DASLab/gptq @2d65066), NVFP4
/// (NVIDIA/Model-Optimizer @a2fbac7), BitMoD's two-level scales (paper Sec. IV after VS-Quant) and FP16 scales.
/// </summary>
public class AuthorsConventionsTests
{
    private static QuantizedMatrix Quantize(IWeightQuantizer quantizer, params float[] row) => quantizer.Quantize(new WeightMatrix(1, row.Length, row));

    // ---- ANT ----

    /// <summary>
    /// ANT: scale = alpha / max(grid) = alpha / 7 for int4. With absmax 1 and the clip at 87.5%, alpha = 0.875 and the
    /// scale is 0.125: w / scale = 8, −8, 2.5, −3.5, 0.5 → 7 (saturated), −8 (the extra value at −8/7 of the clip),
    /// 3 and −3 (ties up), 1 (tie up).
    /// </summary>
    [Fact]
    public void AntIntMapsTheClipOntoItsLargestPositiveValue()
    {
        var quantizer = new CodebookQuantizer(AntTypes.Int(4, signed: true), Granularity.PerChannel, ScaleFormat.Fp32,
            new ClipSearch(0.875, 0.88, 0.01), clipTarget: ClipTarget.LargestPositive);
        var q = Quantize(quantizer, 1.0f, -1.0f, 0.3125f, -0.4375f, 0.0625f);
        Assert.Equal(0.125f, q.Scales[0]);
        Assert.Equal([0.875f, -1.0f, 0.375f, -0.375f, 0.125f], q.Dequantize());
    }

    /// <summary>Every ANT candidate maps its clip onto its largest positive value; the old form mapped int4's onto 8.</summary>
    [Fact]
    public void AntCandidatesUseTheLargestPositiveValue()
    {
        var ant = new AntAdaptiveQuantizer(4);
        var q = ant.Candidates[0].Quantize(new WeightMatrix(1, 2, [0.7f, -0.1f]));
        // Clip 75% … 149% of 0.7 onto 7: the best is a clip of 0.7 (fraction 1.00), scale 0.1 in FP16.
        Assert.Equal((float)(Half)0.1f, q.Scales[0]);
    }

    /// <summary>ANT's search: 75 … 149% in 1% steps up to 6 bits; above 6 bits (int only) the floor moves to 95%.</summary>
    [Theory]
    [InlineData(4, 0.75, 75)]
    [InlineData(6, 0.75, 75)]
    [InlineData(7, 0.95, 55)]
    [InlineData(8, 0.95, 55)]
    public void AntSearchesItsClipOverTheAuthorsRanges(int bits, double first, int count)
    {
        foreach (var candidate in new AntAdaptiveQuantizer(bits).Candidates)
        {
            Assert.Equal(first, candidate.Fractions[0]);
            Assert.Equal(1.49, candidate.Fractions[^1]);
            Assert.Equal(count, candidate.Fractions.Count);
        }
    }

    /// <summary>ANT's and OliVe's kernels keep the last grid value at the smallest distance: ties go up.</summary>
    [Fact]
    public void AntAndOliveTiesGoToTheUpperValue()
    {
        Assert.Equal(3, AntTypes.Int(4, signed: true).Quantize(2.5));
        Assert.Equal(-2, AntTypes.Int(4, signed: true).Quantize(-2.5));
        Assert.Equal(16, AntTypes.Flint(4, signed: true).Quantize(12)); // between 8 and 16
        Assert.Equal(-8, AntTypes.Flint(4, signed: true).Quantize(-12));
        Assert.Equal(2, AntTypes.PowerOfTwo(4, signed: true).Quantize(1.5));
        Assert.Equal(4, OliveTypes.Int(4).Quantize(2)); // OliVe int4 normals are multiples of 4
        Assert.Equal(32, OliveTypes.Flint(4).Quantize(24)); // flint4 normals {0, 2, 4, 6, 8, 12, 16, 32}: 24 is a midpoint
        Assert.Equal(-16, OliveTypes.Flint(4).Quantize(-24));
        Assert.Equal(12, OliveTypes.Flint(4).Quantize(10));
        var kernel = new NearestValueKernel(AntTypes.Int(4, signed: true));
        var indices = new int[9];
        kernel.NearestIndices([-7.5f, -2.5f, -0.5f, 0.5f, 2.5f, 6.5f, 7.5f, 3.5f, -3.5f], indices);
        var values = AntTypes.Int(4, signed: true).SortedValues.ToArray();
        Assert.Equal([-7.0, -2, 0, 1, 3, 7, 7, 4, -3], indices.Select(i => values[i]));
    }

    // ---- OliVe's per-tensor choice ----

    /// <summary>
    /// Absmax scales (no search): normals [28, 24, … 0] are int4 normals exactly (scale 1 onto 28), so int wins (choice 0);
    /// [32, 16, 8, 4, 2, 6, 12, 0] are flint4 normals exactly (scale 1 onto 32) and int errs (6 → 4 or 8), so flint wins.
    /// </summary>
    [Fact]
    public void OvpAutoKeepsTheNormalTypeWithTheSmallerError()
    {
        var auto = new OvpAutoQuantizer(4);
        var intRow = Quantize(auto, 28, 24, 20, 16, 12, 8, 4, 0);
        Assert.Equal(0, intRow.TensorTypeId);
        Assert.Equal("ovp4-auto(ovp4-int)", intRow.Layout.Scheme);
        Assert.Equal([28f, 24, 20, 16, 12, 8, 4, 0], intRow.Dequantize());
        var flintRow = Quantize(auto, 32, 16, 8, 4, 2, 6, 12, 0);
        Assert.Equal(1, flintRow.TensorTypeId);
        Assert.Equal("ovp4-auto(ovp4-flint)", flintRow.Layout.Scheme);
        Assert.Equal([32f, 16, 8, 4, 2, 6, 12, 0], flintRow.Dequantize());
        Assert.Equal(0, Quantize(auto, 0, 0, 0, 0).TensorTypeId); // equal errors: int, as the first of OliVe's argsort
        Assert.Equal(8 * 4 + 16 + 1, flintRow.Layout.StorageBits); // codes, the FP16 row scale, the 1-bit choice
    }

    [Fact]
    public void OvpAutoIsARegisteredDatatypeWithBothNormalTypes()
    {
        var datatype = WeightDatatypes.Get("ovp4-auto");
        Assert.Equal(4.0, datatype.Storage.EffectiveBits);
        Assert.Equal(1, datatype.UnitScale);
        // int4 normals (multiples of 4 to 28), flint4 normals (0, 2, 4, 6, 8, 12, 16, 32) and abfloat4 outliers.
        long[] magnitudes = [0, 2, 4, 6, 8, 12, 16, 20, 24, 28, 32, 48, 64, 96, 128, 192, 256, 384];
        Assert.Equal(magnitudes.Where(m => m > 0).Select(m => -m).Reverse().Concat(magnitudes), datatype.Values);
        Assert.Equal(DecoderUnitNames.OvpPair, datatype.DecoderUnit);
        Assert.NotNull(DatatypeIds.Of("ovp4-auto"));
        Assert.StartsWith("ovp4-auto-mse(", datatype.StorageQuantizer!(64).Quantize(SyntheticWeightsForTests.Small(4, 64, seed: 2)).Layout.Scheme);
    }

    // ---- FP16 scales ----

    /// <summary>
    /// FP16 subnormals are multiples of 2^−24, and a subnormal scale rounds up: 3e−6 · 2^24 = 50.33 → 51 · 2^−24;
    /// 1e−9 → 2^−24. Normal scales keep round-to-nearest-even: 0.1 → 0.0999755859375 (1638.4 · 2^−14 → 1638).
    /// </summary>
    [Fact]
    public void Fp16ScalesKeepSubnormals()
    {
        Assert.Equal((float)(51 * Math.ScaleB(1.0, -24)), ScaleCodec.Round(ScaleFormat.Fp16, 3e-6f));
        Assert.Equal((float)(50 * Math.ScaleB(1.0, -24)), ScaleCodec.Round(ScaleFormat.Fp16, (float)(50 * Math.ScaleB(1.0, -24))));
        Assert.Equal((float)Math.ScaleB(1.0, -24), ScaleCodec.Round(ScaleFormat.Fp16, 1e-9f));
        Assert.Equal(0.0999755859375f, ScaleCodec.Round(ScaleFormat.Fp16, 0.1f));
        Assert.Equal(65504f, ScaleCodec.Round(ScaleFormat.Fp16, 1e6f));
    }

    /// <summary>
    /// fp8_e4m3 at g128 on N(0, 0.005²) weights: group scales absmax / 448 ≈ 4e−5 lie below 2^−14. With subnormal FP16
    /// scales the SQNR equals, within 0.01 dB, that of unrounded (FP32) scales computed here group by group; clamping the
    /// scales at 2^−14 (the former rule, also computed here) loses more than 0.1 dB. fp8_e5m2 (absmax / 57344 ≈ 3e−7,
    /// two or three significant bits as an FP16 subnormal) shows why subnormal scales round up: rounded to nearest they
    /// saturate the group's largest weights, and the SQNR would fall below the clamped rule's.
    /// </summary>
    [Fact]
    public void Fp8WithSmallWeightsLosesNothingToFp16Scales()
    {
        const int rows = 32, cols = 1024, group = 128;
        var random = new Random(16);
        var w = new float[rows * cols];
        for (int i = 0; i < w.Length; i++)
            w[i] = (float)(0.005 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var weights = new WeightMatrix(rows, cols, w);

        double ByHand(MiniFloat format, Func<float, float> scaleOf)
        {
            var element = format.ToCodebook();
            var result = new float[w.Length];
            for (int start = 0; start < w.Length; start += group)
            {
                float absMax = 0;
                for (int i = start; i < start + group; i++) absMax = Math.Max(absMax, Math.Abs(w[i]));
                float scale = scaleOf(absMax / (float)format.MaxFinite);
                for (int i = start; i < start + group; i++) result[i] = (float)element.Quantize(w[i] / scale) * scale;
            }
            return ErrorMetrics.Compare(w, result).SqnrDb;
        }
        float Clamped(float s) => Math.Max((float)(Half)s, (float)Math.ScaleB(1.0, -14));
        double Quantized(string name, out QuantizedMatrix q)
        {
            q = QuantizerCatalog.Create(name, group).Quantize(weights);
            return ErrorMetrics.Compare(w, q.Dequantize()).SqnrDb;
        }

        double e4m3 = Quantized("fp8_e4m3", out var q4);
        double unrounded = ByHand(MiniFloat.Fp8E4M3, s => s), clamped = ByHand(MiniFloat.Fp8E4M3, Clamped);
        Assert.Contains(q4.Scales, s => s < Math.ScaleB(1.0, -14));
        Assert.InRange(unrounded - e4m3, -0.01, 0.01);
        Assert.True(unrounded - clamped > 0.1, $"clamped scales lose {unrounded - clamped:F3} dB");

        double e5m2 = Quantized("fp8_e5m2", out _);
        double e5m2Clamped = ByHand(MiniFloat.Fp8E5M2, Clamped), e5m2Nearest = ByHand(MiniFloat.Fp8E5M2, s => (float)(Half)s);
        Assert.True(e5m2 >= e5m2Clamped - 0.01, $"{e5m2:F3} vs clamped {e5m2Clamped:F3}");
        Assert.True(e5m2Nearest < e5m2Clamped - 0.05, $"nearest {e5m2Nearest:F3} vs clamped {e5m2Clamped:F3}");
    }

    // ---- GPTQ symmetric INT ----

    /// <summary>
    /// GPTQ sym, 4 bits: maxq = 15, scale = (xmax − xmin) / 15 with xmin = −xmax = −0.46875 → 0.0625; q = clamp(round(w /
    /// 0.0625) + 8, 0, 15): 7.5 → 8 → 16 → 15 (value 7 · 0.0625), −7.5 → −8 → 0 (−0.5), 1.5 → 2, −0.5 → −0 → 0, 2.5 → 2,
    /// 3.5 → 4 (round half to even). A row without negative weights keeps xmin = 0: scale = 0.46875 / 15 = 0.03125, and
    /// 15 and 8 both clamp to code 15, value 7 · 0.03125.
    /// </summary>
    [Fact]
    public void GptqSymmetricIntUsesAllLevelsAndItsScaleRule()
    {
        var quantizer = QuantizerCatalog.Create("int4-gptq", 8);
        Assert.Equal("int4-gptq-g8", quantizer.Name);
        float[] w =
        [
            0.46875f, -0.46875f, 0.09375f, -0.03125f, 0.15625f, 0.21875f, 0, 0,
            0.46875f, 0.25f, 0, 0.0625f, 0, 0, 0, 0,
        ];
        var q = quantizer.Quantize(new WeightMatrix(2, 8, w));
        Assert.Equal([0.0625f, 0.03125f], q.Scales);
        Assert.Equal([0.4375f, -0.5f, 0.125f, 0, 0.125f, 0.25f, 0, 0, 0.21875f, 0.21875f, 0, 0.0625f, 0, 0, 0, 0], q.Dequantize());
    }

    [Fact]
    public void GptqAndAwqSymmetricIntAreDistinctDatatypes()
    {
        Assert.Equal(Enumerable.Range(-8, 16).Select(v => (long)v), WeightDatatypes.Get("int4-gptq").Values);
        Assert.Equal(Enumerable.Range(-7, 15).Select(v => (long)v), WeightDatatypes.Get("int4").Values);
        Assert.Equal(4.125, WeightDatatypes.Get("int4-gptq").Storage.EffectiveBits); // a scale per 128, no stored zero point
        Assert.Equal(4.125, WeightDatatypes.Get("int4-gptq-g64").Storage.EffectiveBits - 0.125);
        Assert.NotNull(DatatypeIds.Of("int4-gptq"));
    }

    // ---- NVFP4 ----

    /// <summary>
    /// Model-Optimizer: t = 2688 / (6 · 448) = 1; block scales clamp(amax / 6, 2^−9, 448) in E4M3. Block 0: 2688 / 6 = 448.
    /// Block 1: 6e−4 / 6 = 1e−4 → the floor 2^−9 (E4M3 would round 1e−4 to 0): 6e−4 · 512 = 0.307 → E2M1 0.5, value 2^−10;
    /// −3e−4 · 512 = −0.154 → 0. Block 2 (zeros): scale 1.
    /// </summary>
    [Fact]
    public void Nvfp4FloorsTheBlockScaleAtTheLeastE4M3Value()
    {
        var w = new float[48];
        w[0] = 2688;
        w[16] = 6e-4f;
        w[17] = -3e-4f;
        var q = new Nvfp4Quantizer().Quantize(new WeightMatrix(1, 48, w));
        Assert.Equal(1f, q.TensorScale);
        Assert.Equal([448f, (float)Math.ScaleB(1.0, -9), 1f], q.Scales);
        var d = q.Dequantize();
        Assert.Equal(2688f, d[0]);
        Assert.Equal((float)Math.ScaleB(1.0, -10), d[16]);
        Assert.Equal(0f, d[17]);
    }

    // ---- BitMoD two-level scales ----

    /// <summary>
    /// bitmod3, groups of 4. Row absmax 0.99609375 = 1020 · 2^−10; the largest candidate scale is that / 4 (ER, max 4),
    /// so γ = 1020 · 2^−10 / 4 / 255 = 2^−10. Group A [0.99609375, 0, 0, 0]: ER_POS scale 255γ represents it exactly
    /// (type 0). Group B [0.01, …]: ER scale 0.0025 / γ = 2.56 → 3γ, 0.01 / 3γ = 3.41 → ER_POS 3 (error 1.21e−3; ER_NEG
    /// 4: 1.72e−3); EA scale 0.01 / 6 / γ = 1.71 → 2γ, 5.12 → EA_POS 6 (1.72e−3), EA_NEG 4 (2.19e−3): ER_POS, 3 · 3γ.
    /// Group C [1e−4, …]: 2.5e−5 / γ = 0.026 → 0, floored at 1: scale γ, value 0.
    /// </summary>
    [Fact]
    public void BitmodStoresInt8GroupScalesUnderAnFp16RowScale()
    {
        var quantizer = new BitmodQuantizer(3, groupSize: 4, ScaleFormat.Int8RowScaled);
        float gamma = (float)Math.ScaleB(1.0, -10);
        var q = Quantize(quantizer, 0.99609375f, 0, 0, 0, 0.01f, 0, 0, 0, 1e-4f, 0, 0, 0);
        Assert.Equal([gamma], q.RowScales!);
        Assert.Equal([255 * gamma, 3 * gamma, gamma], q.Scales);
        Assert.Equal([(byte)0, (byte)0, (byte)0], q.TypeIds!);
        var d = q.Dequantize();
        Assert.Equal([0.99609375f, 9 * gamma, 0f], [d[0], d[4], d[8]]);
        Assert.Equal(12 * 3 + 3 * (8 + 2) + 16, q.Layout.StorageBits); // codes, INT8 scale + type id per group, FP16 row scale
        var unpacked = MatrixPacker.Unpack(q.Layout, MatrixPacker.Pack(q));
        Assert.Equal(q.Scales, unpacked.Scales);
        Assert.Equal(q.RowScales, unpacked.RowScales);
        Assert.Equal(q.Codes, unpacked.Codes);
    }

    /// <summary>bitmod3 / bitmod4 cost w + 8/128 bits as the paper's hardware stores them; the -fp16s forms w + 16/128.</summary>
    [Theory]
    [InlineData("bitmod3", 3.0625, "bitmod3-g128")]
    [InlineData("bitmod4", 4.0625, "bitmod4-g128")]
    [InlineData("bitmod3-fp16s", 3.125, "bitmod3-fp16s-g128")]
    [InlineData("bitmod4-fp16s", 4.125, "bitmod4-fp16s-g128")]
    public void BitmodBitsMatchTheHardware(string name, double bits, string quantizerName)
    {
        var datatype = WeightDatatypes.Get(name);
        Assert.Equal(bits, datatype.Storage.EffectiveBits);
        var quantizer = (BitmodQuantizer)datatype.StorageQuantizer!(256);
        Assert.Equal(quantizerName, quantizer.Name);
        Assert.Equal(name.EndsWith("-fp16s", StringComparison.Ordinal) ? ScaleFormat.Fp16 : ScaleFormat.Int8RowScaled, quantizer.ScaleFormat);
        Assert.Equal(8, ScaleCodec.Bits(ScaleFormat.Int8RowScaled));
    }
}
