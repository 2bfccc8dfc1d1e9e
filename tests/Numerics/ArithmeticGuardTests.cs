using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Gemm;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;

namespace HwSim.Tests.Numerics;

/// <summary>
/// The GEMM references, the vector helpers and the synthetic weight generator against scalar loops written here, at
/// lengths on both sides of the vector width, with their argument checks and messages.
/// </summary>
public class ArithmeticGuardTests
{
    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 8 - 4))];
    }

    [Fact]
    public void VectorHelpersEqualScalarLoopsAtEveryLength()
    {
        for (int length = 0; length <= 2 * System.Numerics.Vector<float>.Count + 3; length++)
        {
            var x = Values(length, length);
            var q = Values(length, length + 100);
            var quotient = new float[length];
            VectorMath.Divide(x, 3f, quotient);
            Assert.Equal(x.Select(v => v / 3f), quotient);
            Assert.Equal(length == 0 ? 0 : x.Max(MathF.Abs), VectorMath.AbsMax(x));
            double expected = 0;
            for (int i = 0; i < length; i++)
            {
                double d = (float)((float)(q[i] - 0.5f) * 0.25f) - x[i];
                expected += d * d;
            }
            Assert.Equal(expected, VectorMath.SquaredError(q, 0.5f, 0.25f, x), 1e-9 * (1 + expected));
        }
        // The largest magnitude may be negative and sit in any lane or in the tail.
        Assert.Equal(9f, VectorMath.AbsMax([1f, -9f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 0f, 0f]));
        Assert.Equal(9f, VectorMath.AbsMax([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 0f, 0f, -9f]));
        Assert.StartsWith("output shorter than input", Assert.Throws<ArgumentException>(() => VectorMath.Divide([1f, 2f], 1, new float[1])).Message);
    }

    [Fact]
    public void ExactGemmSumsInDoubleAndChecksShapes()
    {
        // X 2 × 3 times W (2 rows of 3)ᵀ: [1, 2, 3] · [1, 0, −1] = −2, · [0.5, 0.5, 0.5] = 3; [−1, 0, 4] · … = −5, 1.5.
        var w = new WeightMatrix(2, 3, [1, 0, -1, 0.5f, 0.5f, 0.5f]);
        Assert.Equal([-2f, 3f, -5f, 1.5f], ReferenceGemm.Exact([1, 2, 3, -1, 0, 4], 2, w));
        // Summed in double, 2^24 + 1 − 1 is exact; in float, 2^24 + 1 would round to 2^24 and the − 1 give 2^24 − 1.
        Assert.Equal([16777216f], ReferenceGemm.Exact([16777216f, 1f, 1f], 1, new WeightMatrix(1, 3, [1f, 1f, -1f])));
        Assert.StartsWith("activations: 2 x 3 needs 6 values, got 5", Assert.Throws<ArgumentException>(() => ReferenceGemm.Exact(new float[5], 2, w)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceGemm.Exact([], 0, w));
    }

    [Fact]
    public void FloatingPointReferenceAppliesTheTensorScaleLast()
    {
        // NVFP4 layout: one block of 2 codes (E2M1 3 = 1.5, 10 = −1), block scale 2, tensor scale 0.25.
        var layout = new QuantizedLayout("n", 1, 2, 4, 2, ScaleFormat.E4M3, false, 0, true, 0, new CodebookDecoder(MiniFloat.Fp4E2M1.ToCodebook()));
        var w = new QuantizedMatrix(layout, [3, 10], [2f], null, null, tensorScale: 0.25f);
        // (2 · 1.5 + 3 · (−1)) · 2 · 0.25 = 0; (1 · 1.5 + 1 · (−1)) · 2 · 0.25 = 0.25.
        Assert.Equal([0f, 0.25f], ReferenceGemm.Fp16ActivationsFp32Accumulate([(Half)2, (Half)3, (Half)1, (Half)1], 2, w));
        Assert.Throws<ArgumentException>(() => ReferenceGemm.Fp16ActivationsFp32Accumulate([(Half)2], 1, w));
    }

    private static QuantizedMatrix Int8Row(params byte[] codes) =>
        new(new QuantizedLayout("i", 1, codes.Length, 8, codes.Length, ScaleFormat.Fp16, false, 0, false, 0,
            new CodebookDecoder(IntegerTypes.TwosComplement(8))), codes, [1f], null, null);

    [Fact]
    public void BitSerialWidthsAreChecked()
    {
        var w = Int8Row(0x81, 0x7F, 0x05); // −127, 127, 5: 8 bits needed
        sbyte[] x = [1, 2, 3];
        Assert.Equal([-127 + 254 + 15], IntegerGemm.GroupPartialSums(x, 1, w));
        Assert.Equal([142], BitSerialGemm.GroupPartialSums(x, 1, w, 3, weightBits: 8));
        Assert.Equal([142], BitSerialGemm.GroupPartialSums(x, 1, w, 2, weightBits: 12));
        Assert.StartsWith("7-bit two's complement cannot hold every weight",
            Assert.Throws<ArgumentException>(() => BitSerialGemm.GroupPartialSums(x, 1, w, 2, weightBits: 7)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BitSerialGemm.GroupPartialSums(x, 1, w, 0));
        Assert.Equal((3, 1, 2, 8), (BitSerialGemm.Steps(8, 3), BitSerialGemm.Steps(8, 8), BitSerialGemm.Steps(8, 4), BitSerialGemm.Steps(8, 1)));
        // Digits of −3 in 4 bits (1101), two per step: low 01 = 1, high 11 with the sign weight: 3 − 4 = −1.
        Assert.Equal((1, -1), (BitSerialGemm.Digit(-3, 0, 2, 4), BitSerialGemm.Digit(-3, 1, 2, 4)));
        // Three bits per step of a 4-bit weight: the last step holds one bit, the sign.
        Assert.Equal((5, -1), (BitSerialGemm.Digit(-3, 0, 3, 4), BitSerialGemm.Digit(-3, 1, 3, 4)));
    }

    [Fact]
    public void TwosComplementWidthsAreTheNarrowestThatHoldTheRange()
    {
        Assert.Equal(1, IntegerGemm.TwosComplementBits(Array.Empty<long>()));
        Assert.Equal(1, IntegerGemm.TwosComplementBits([0L, -1L]));
        Assert.Equal(2, IntegerGemm.TwosComplementBits([1L]));
        Assert.Equal(8, IntegerGemm.TwosComplementBits([-128L, 127L]));
        Assert.Equal(9, IntegerGemm.TwosComplementBits([128L]));
        Assert.Equal(9, IntegerGemm.TwosComplementBits([-129L]));
        Assert.Equal(64, IntegerGemm.TwosComplementBits([long.MinValue, long.MaxValue]));
        Assert.Equal(5, IntegerGemm.TwosComplementBits(new[] { 3, -16, 15 }.AsSpan()));
        Assert.Equal(6, IntegerGemm.TwosComplementBits(new[] { 16 }.AsSpan()));
    }

    [Fact]
    public void IntegerPathsNameFractionalWeightsAndOverflowingGroups()
    {
        var layout = new QuantizedLayout("half", 1, 1, 4, 1, ScaleFormat.Fp16, false, 0, false, 0, new CodebookDecoder(MiniFloat.Fp4E2M1.ToCodebook()));
        var half = new QuantizedMatrix(layout, [1], [1f], null, null);
        Assert.StartsWith("half: weight value 0.5 is not an integer; use the floating-point reference",
            Assert.Throws<ArgumentException>(() => IntegerGemm.IntegerWeights(half)).Message);
        // 2 groups of 70,000 weights of 127 times activations −128: the first group alone is −1,137,920,000 (fits),
        // a group of 140,000 would not; the message names row, output and group.
        var w = new WeightMatrix(1, 140000, Enumerable.Repeat(1f, 140000).ToArray());
        var q = QuantizerCatalog.Create("int8", groupSize: 70000).Quantize(w);
        var x = Enumerable.Repeat((sbyte)-128, 140000).ToArray();
        Assert.Equal([-1137920000, -1137920000], IntegerGemm.GroupPartialSums(x, 1, q));
        var one = QuantizerCatalog.Create("int8", groupSize: 140000).Quantize(w);
        Assert.Equal("INT32 accumulator overflows at row 0, output 0, group 0", Assert.Throws<OverflowException>(() => IntegerGemm.GroupPartialSums(x, 1, one)).Message);
        // Sums of exactly int.MinValue and int.MaxValue still fit: −128 · (127 · 132104 + 1 · 8) = −128 · 2^24 = −2^31;
        // 127 · 127 · 133144 + 1 · 127 · 32 + 1 · 7 = 2^31 − 1.
        Assert.Equal([int.MinValue], Sum((-128, 0x7F, 132104), (-128, 0x01, 8)));
        Assert.Equal([int.MaxValue], Sum((127, 0x7F, 133144), (1, 0x7F, 32), (1, 0x07, 1)));
        Assert.Throws<OverflowException>(() => Sum((-128, 0x7F, 132104), (-128, 0x01, 9)));
        Assert.Throws<OverflowException>(() => Sum((127, 0x7F, 133144), (1, 0x7F, 32), (1, 0x08, 1)));
    }

    /// <summary>One group's INT32 partial sum of runs of (activation, INT8 weight code, count).</summary>
    private static int[] Sum(params (sbyte X, byte Code, int Count)[] runs)
    {
        var x = runs.SelectMany(r => Enumerable.Repeat(r.X, r.Count)).ToArray();
        var codes = runs.SelectMany(r => Enumerable.Repeat(r.Code, r.Count)).ToArray();
        return IntegerGemm.GroupPartialSums(x, 1, Int8Row(codes));
    }

    [Fact]
    public void SyntheticSpecsAreCheckedFieldByField()
    {
        var spec = new SyntheticSpec(4, 8, OutlierChannels: 2);
        foreach (var (bad, field) in new (SyntheticSpec, string)[]
        {
            (spec with { Rows = 0 }, "synthetic Rows: must be at least 1"),
            (spec with { Cols = 0 }, "synthetic Cols: must be at least 1"),
            (spec with { Rows = 65536, Cols = 65536 }, "synthetic Rows x Cols: too many elements"),
            (spec with { Sigma = 0 }, "synthetic Sigma: must be positive"),
            (spec with { Sigma = double.NaN }, "synthetic Sigma: must be positive"),
            (spec with { TailFraction = -0.01 }, "synthetic TailFraction: must be in [0, 1]"),
            (spec with { TailFraction = 1.01 }, "synthetic TailFraction: must be in [0, 1]"),
            (spec with { TailScale = 0 }, "synthetic TailScale: must be positive"),
            (spec with { OutlierChannels = -1 }, "synthetic OutlierChannels: must be in [0, Cols]"),
            (spec with { OutlierChannels = 9 }, "synthetic OutlierChannels: must be in [0, Cols]"),
            (spec with { OutlierMagnitude = 0 }, "synthetic OutlierMagnitude: must be positive"),
        })
            Assert.Equal(field, Assert.Throws<InvalidDataException>(() => SyntheticWeights.Generate(bad)).Message);
        foreach (var good in new[] { spec with { TailFraction = 0 }, spec with { TailFraction = 1 }, spec with { OutlierChannels = 8 }, spec with { OutlierChannels = 0 } })
            Assert.Equal(32, SyntheticWeights.Generate(good).Values.Length);
    }

    [Fact]
    public void OutlierChannelsScaleWholeColumnsOfTheSameDraw()
    {
        // The bulk is drawn before the outlier columns are chosen, so without outliers the same seed gives the same
        // values, and with k outlier channels exactly k columns differ, each by the factor OutlierMagnitude.
        var plain = SyntheticWeights.Generate(new SyntheticSpec(16, 32, Seed: 3, OutlierChannels: 0));
        var spec = new SyntheticSpec(16, 32, Seed: 3, OutlierChannels: 3, OutlierMagnitude: 7.5);
        var outliers = SyntheticWeights.Generate(spec);
        var changed = Enumerable.Range(0, 32).Where(c => Enumerable.Range(0, 16).Any(r => outliers.Values[r * 32 + c] != plain.Values[r * 32 + c])).ToArray();
        Assert.Equal(3, changed.Length);
        foreach (int c in changed)
            for (int r = 0; r < 16; r++) Assert.Equal(plain.Values[r * 32 + c] * 7.5f, outliers.Values[r * 32 + c]);
    }

    [Fact]
    public void BulkAndTailHaveTheirStatedSpread()
    {
        // σ = 0.02 bulk; a tail-only matrix is Laplace with standard deviation σ · TailScale (scale b = σ · 4 / √2):
        // its mean absolute value is b, its RMS b · √2. 65,536 draws put both within 2% of their values.
        var bulk = SyntheticWeights.Generate(new SyntheticSpec(256, 256, Seed: 4, TailFraction: 0, OutlierChannels: 0)).Values;
        Assert.InRange(Math.Sqrt(bulk.Average(v => (double)v * v)), 0.0196, 0.0204);
        Assert.InRange(bulk.Average(v => Math.Abs((double)v)), 0.02 * Math.Sqrt(2 / Math.PI) * 0.98, 0.02 * Math.Sqrt(2 / Math.PI) * 1.02);
        var tail = SyntheticWeights.Generate(new SyntheticSpec(256, 256, Seed: 4, TailFraction: 1, OutlierChannels: 0)).Values;
        double b = 0.02 * 4 / Math.Sqrt(2);
        Assert.InRange(tail.Average(v => Math.Abs((double)v)), b * 0.98, b * 1.02);
        Assert.InRange(Math.Sqrt(tail.Average(v => (double)v * v)), 0.08 * 0.98, 0.08 * 1.02);
        // A 1% tail: about 655 tail draws, far beyond 5σ of the bulk only through the tail.
        var mixed = SyntheticWeights.Generate(new SyntheticSpec(256, 256, Seed: 4, OutlierChannels: 0)).Values;
        Assert.InRange(mixed.Count(v => Math.Abs(v) > 0.1), 20, 150);
        Assert.Equal(0, bulk.Count(v => Math.Abs(v) > 0.12));
    }

    [Fact]
    public void ActivationsAreSeededStandardNormalHalves()
    {
        var a = SyntheticWeights.Activations(64, 256, seed: 2);
        Assert.Equal(64 * 256, a.Length);
        Assert.Equal(a, SyntheticWeights.Activations(64, 256, seed: 2));
        Assert.NotEqual(a, SyntheticWeights.Activations(64, 256, seed: 3));
        Assert.InRange(a.Average(h => (double)h), -0.03, 0.03);
        Assert.InRange(Math.Sqrt(a.Average(h => (double)h * (double)h)), 0.97, 1.03);
    }
}
