using HwSim.Workloads.Inference;

namespace HwSim.Tests.Workloads.Inference;

public class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 3)]
    [InlineData(9, 70, 37)]
    [InlineData(33, 130, 600)]
    public void EqualsTheDefinitionInDoubleWithinFp32Rounding(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        // Views with strides and offsets, as attention passes head slices.
        var a = Enumerable.Range(0, 3 + m * (k + 2)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, 1 + n * (k + 5)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var c = new float[2 + m * (n + 1)];
        var before = (float[])c.Clone();
        Gemm.MultiplyTransposed(new MatrixView(a, 3, m, k, k + 2), new MatrixView(b, 1, n, k, k + 5), new MatrixView(c, 2, m, n, n + 1));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int x = 0; x < k; x++) expected += (double)a[3 + i * (k + 2) + x] * b[1 + j * (k + 5) + x];
                Assert.Equal(expected, c[2 + i * (n + 1) + j], 1e-5 * Math.Sqrt(k));
            }
        // Padding between rows is untouched.
        for (int i = 0; i < m; i++) Assert.Equal(before[2 + i * (n + 1) + n], c[2 + i * (n + 1) + n]);
        Assert.Equal(0, c[0]);
    }

    [Fact]
    public void ResultDoesNotDependOnTheThreadCount()
    {
        var random = new Random(5);
        var a = Enumerable.Range(0, 64 * 300).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 200 * 300).Select(_ => (float)random.NextDouble()).ToArray();
        var one = new float[64 * 200];
        var many = new float[64 * 200];
        Gemm.MultiplyTransposed(MatrixView.Of(a, 64, 300), MatrixView.Of(b, 200, 300), MatrixView.Of(one, 64, 200), maxThreads: 1);
        Gemm.MultiplyTransposed(MatrixView.Of(a, 64, 300), MatrixView.Of(b, 200, 300), MatrixView.Of(many, 64, 200), maxThreads: 4);
        Assert.Equal(one, many);
    }

    [Fact]
    public void ViewsOutsideTheirArrayAreRejected() =>
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyTransposed(new MatrixView(new float[10], 0, 3, 4, 4), MatrixView.Of(new float[8], 2, 4), MatrixView.Of(new float[6], 3, 2)));

    [Theory]
    [InlineData(1.0f, 1.0f)]
    [InlineData(1.00390625f, 1.0f)] // halfway between 1 and 1 + 2^-7: to even
    [InlineData(1.01171875f, 1.015625f)] // halfway between 1 + 2^-7 and 1 + 2^-6: to even (up)
    [InlineData(-3.14159274f, -3.140625f)]
    public void Bf16RoundsToNearestEven(float value, float expected) => Assert.Equal(expected, ActivationRounding.ToBf16(value));
}
