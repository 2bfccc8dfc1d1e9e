using CsCheck;
using HwSim.Numerics.Gemm;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;

namespace HwSim.Tests.Numerics;

public class GemmTests
{
    private static sbyte[] Activations(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(-128, 128))];
    }

    /// <summary>Naive per-group sums in long arithmetic from the dequantized values and scales.</summary>
    private static long[] Naive(sbyte[] x, int m, QuantizedMatrix w)
    {
        var layout = w.Layout;
        var result = new long[m * layout.Rows * layout.GroupsPerRow];
        var deq = w.Dequantize();
        for (int row = 0; row < m; row++)
            for (int n = 0; n < layout.Rows; n++)
                for (int k = 0; k < layout.Cols; k++)
                {
                    int group = w.GroupIndex(n, k);
                    long weight = (long)Math.Round(deq[n * layout.Cols + k] / w.Scales[group] / w.TensorScale);
                    result[(row * layout.Rows + n) * layout.GroupsPerRow + k / layout.GroupSize] += x[row * layout.Cols + k] * weight;
                }
        return result;
    }

    [Theory]
    [InlineData("int4")]
    [InlineData("int8")]
    [InlineData("bitmod4")]
    [InlineData("bitmod3")]
    [InlineData("ovp4")]
    [InlineData("ant4")]
    [InlineData("int4-asym")]
    public void BitSerialEqualsBitParallelForEveryDigitWidth(string scheme)
    {
        var weights = SyntheticWeightsForTests.Small(rows: 12, cols: 200, seed: 4);
        var q = QuantizerCatalog.Create(scheme, groupSize: 64).Quantize(weights);
        var x = Activations(3 * 200, seed: 7);
        var parallel = IntegerGemm.GroupPartialSums(x, 3, q);
        Assert.Equal(Naive(x, 3, q), parallel.Select(v => (long)v));
        for (int bitsPerStep = 1; bitsPerStep <= 4; bitsPerStep++)
            Assert.Equal(parallel, BitSerialGemm.GroupPartialSums(x, 3, q, bitsPerStep));
    }

    [Fact]
    public void TwosComplementDigitsRebuildEveryValue()
    {
        for (int bits = 1; bits <= 10; bits++)
            for (int d = 1; d <= 4; d++)
                for (int v = -(1 << (bits - 1)); v < 1 << (bits - 1); v++)
                {
                    long sum = 0;
                    for (int step = 0; step < BitSerialGemm.Steps(bits, d); step++)
                        sum += (long)BitSerialGemm.Digit(v, step, d, bits) << (step * d);
                    Assert.Equal(v, sum);
                }
        Assert.Equal(2, BitSerialGemm.Steps(4, 2)); // BitMoD: 4-bit weights, two bits per cycle
    }

    [Fact]
    public void Fp16ActivationsAccumulateInFp32PerGroupThenScale()
    {
        var weights = SyntheticWeightsForTests.Small(rows: 4, cols: 256, seed: 8);
        var q = QuantizerCatalog.Create("bitmod4").Quantize(weights);
        var x = SyntheticWeights.Activations(2, 256, seed: 1);
        var y = ReferenceGemm.Fp16ActivationsFp32Accumulate(x, 2, q);
        var values = q.CodeValues();
        for (int row = 0; row < 2; row++)
            for (int n = 0; n < 4; n++)
            {
                // Written out: two groups of 128, FP32 partial sums in k order, scaled, summed in group order.
                float total = 0;
                for (int g = 0; g < 2; g++)
                {
                    float partial = 0;
                    for (int k = 128 * g; k < 128 * (g + 1); k++) partial += (float)x[row * 256 + k] * values[n * 256 + k];
                    total += partial * q.Scales[n * 2 + g];
                }
                Assert.Equal(total, y[row * 4 + n]);
            }
        var exact = ReferenceGemm.Exact([.. x.Select(h => (float)h)], 2, weights);
        Assert.True(ErrorMetrics.Compare(exact, y).SqnrDb > 12);
    }

    [Fact]
    public void Int32AccumulatorOverflowIsReported()
    {
        var weights = new WeightMatrix(1, 140000, Enumerable.Repeat(1f, 140000).ToArray());
        var q = QuantizerCatalog.Create("int8", groupSize: 140000).Quantize(weights);
        var x = Enumerable.Repeat((sbyte)-128, 140000).ToArray();
        Assert.Contains("INT32 accumulator overflows", Assert.Throws<OverflowException>(() => IntegerGemm.GroupPartialSums(x, 1, q)).Message);
    }

    [Fact]
    public void FractionalCodebooksAreRefusedByTheIntegerPath()
    {
        var q = QuantizerCatalog.Create("mxfp4").Quantize(SyntheticWeightsForTests.Small(2, 64, 1));
        Assert.Throws<ArgumentException>(() => IntegerGemm.GroupPartialSums(new sbyte[64], 1, q));
    }

    [Fact]
    public void MetricsFollowTheirDefinitions()
    {
        var report = ErrorMetrics.Compare([1f, -2f, 3f, 0f], [1f, -1f, 3f, 0.5f]);
        Assert.Equal((1 + 0.25) / 4, report.Mse);
        Assert.Equal(10 * Math.Log10(14 / 1.25), report.SqnrDb, 12);
        Assert.Equal(1, report.MaxAbsError);
        Assert.Equal(double.PositiveInfinity, ErrorMetrics.Compare([1f], [1f]).SqnrDb);
        Gen.Float[-10, 10].Array[1, 50].Sample(a => Assert.Equal(0, ErrorMetrics.Compare(a, a).Mse));
    }
}
