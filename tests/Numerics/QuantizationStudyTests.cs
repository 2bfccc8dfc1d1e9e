using HwSim.Numerics.DataTypes;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;

namespace HwSim.Tests.Numerics;

/// <summary>
/// <see cref="QuantizationStudy"/> rows against figures computed here from their definitions: the weight error of the
/// dequantized matrix, and the output SQNR of the dequantized product against an exact product summed in double.
/// </summary>
public class QuantizationStudyTests
{
    private const int Rows = 6, Cols = 64, ActivationRows = 3;

    private static double Sqnr(IReadOnlyList<double> reference, IReadOnlyList<double> other)
    {
        double signal = 0, noise = 0;
        for (int i = 0; i < reference.Count; i++)
        {
            signal += reference[i] * reference[i];
            noise += (reference[i] - other[i]) * (reference[i] - other[i]);
        }
        return 10 * Math.Log10(signal / noise);
    }

    /// <summary>Y[m, n] = Σ_k x[m, k] · w[n, k] in double.</summary>
    private static double[] Product(Half[] x, float[] w)
    {
        var y = new double[ActivationRows * Rows];
        for (int m = 0; m < ActivationRows; m++)
            for (int n = 0; n < Rows; n++)
                for (int k = 0; k < Cols; k++) y[m * Rows + n] += (double)x[m * Cols + k] * w[n * Cols + k];
        return y;
    }

    [Fact]
    public void RowsCarryTheirErrorsAndComeBestFirst()
    {
        var weights = SyntheticWeightsForTests.Small(Rows, Cols, seed: 5);
        var activations = SyntheticWeights.Activations(ActivationRows, Cols, seed: 9);
        var int3 = new CodebookQuantizer(IntegerTypes.Symmetric(3), Granularity.Group(32));
        var int8 = new CodebookQuantizer(IntegerTypes.Symmetric(8), Granularity.PerChannel);
        var fp4 = new CodebookQuantizer(MiniFloat.Fp4E2M1.ToCodebook(), Granularity.Group(16));
        var done = new List<string>();
        var rows = QuantizationStudy.Run(weights, [int3, int8, fp4], activations, ActivationRows, done.Add);

        Assert.Equal([int3.Name, int8.Name, fp4.Name], done); // reported in the order run
        Assert.Equal([int8.Name, fp4.Name, int3.Name], rows.Select(r => r.Name)); // 8 bits beat 4 beat 3
        var exact = Product(activations, weights.Values);
        foreach (var (row, scheme) in rows.Zip(new IWeightQuantizer[] { int8, fp4, int3 }))
        {
            var dequantized = scheme.Quantize(weights).Dequantize();
            double noise = weights.Values.Zip(dequantized, (a, b) => ((double)a - b) * ((double)a - b)).Sum();
            double signal = weights.Values.Sum(v => (double)v * v);
            Assert.Equal(noise / (Rows * Cols), row.Weights.Mse, 15);
            Assert.Equal(10 * Math.Log10(signal / noise), row.Weights.SqnrDb, 9);
            Assert.Equal(weights.Values.Zip(dequantized, (a, b) => Math.Abs((double)a - b)).Max(), row.Weights.MaxAbsError);
            // The study's output passes through FP32 accumulation; against the exact product it errs by the weight
            // quantization, so its SQNR is that of the dequantized product in double, within rounding.
            var quantizedProduct = Product(activations, dequantized);
            Assert.InRange(row.Outputs.SqnrDb - Sqnr(exact, quantizedProduct), -0.01, 0.01);
            Assert.Equal(scheme.Quantize(weights).Layout.EffectiveBits, row.EffectiveBits);
        }
        Assert.True(rows[0].Outputs.SqnrDb > rows[1].Outputs.SqnrDb && rows[1].Outputs.SqnrDb > rows[2].Outputs.SqnrDb);
    }

    [Fact]
    public void EqualErrorsAreOrderedByName()
    {
        var weights = SyntheticWeightsForTests.Small(Rows, Cols, seed: 6);
        var activations = SyntheticWeights.Activations(ActivationRows, Cols, seed: 1);
        var b = new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.Group(32), name: "b-int4");
        var a = new CodebookQuantizer(IntegerTypes.Symmetric(4), Granularity.Group(32), name: "a-int4");
        var c = new CodebookQuantizer(IntegerTypes.Symmetric(2), Granularity.Group(32), name: "c-int2");
        var rows = QuantizationStudy.Run(weights, [c, b, a], activations, ActivationRows);
        Assert.Equal(["a-int4", "b-int4", "c-int2"], rows.Select(r => r.Name));
        Assert.Equal(rows[0].Weights, rows[1].Weights);
    }

    [Fact]
    public void ErrorMetricsCheckTheirInputs()
    {
        Assert.Equal(1.0 + 4 + 0.25, ErrorMetrics.SumSquaredError([1f, 2f, -0.5f], [0f, 0f, 0f]));
        Assert.Equal("lengths differ: 3 vs 2", Assert.Throws<ArgumentException>(() => ErrorMetrics.SumSquaredError([1f, 2f, 3f], [1f, 2f])).Message);
        Assert.Equal("lengths differ: 1 vs 2", Assert.Throws<ArgumentException>(() => ErrorMetrics.Compare([1f], [1f, 2f])).Message);
        Assert.StartsWith("no elements to compare", Assert.Throws<ArgumentException>(() => ErrorMetrics.Compare([], [])).Message);
        // No noise is +∞ dB even without signal (0 / 0 would be NaN).
        Assert.Equal(double.PositiveInfinity, ErrorMetrics.Compare([0f, 0f], [0f, 0f]).SqnrDb);
        // Max |error| is the largest, not the last: errors 3, 1.
        Assert.Equal(3, ErrorMetrics.Compare([3f, 1f], [0f, 0f]).MaxAbsError);
        Assert.Equal("MSE 5, SQNR 0.00 dB, max |err| 3", ErrorMetrics.Compare([3f, 1f], [0f, 0f]).ToString());
    }
}
