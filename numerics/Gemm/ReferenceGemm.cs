using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Gemm;

/// <summary>
/// Reference GEMMs Y[m, n] = Σ_k X[m, k] · W[n, k] (X: M × K activations, W: N × K weights as stored by a linear
/// layer), with the arithmetic of each datapath spelled out so that hardware models can be checked bit for bit.
/// </summary>
public static class ReferenceGemm
{
    /// <summary>The FP32 baseline: products and sums in double, rounded to float once per output.</summary>
    public static float[] Exact(ReadOnlySpan<float> x, int m, WeightMatrix w)
    {
        int k = CheckShapes(x.Length, m, w.Cols);
        var y = new float[m * w.Rows];
        for (int row = 0; row < m; row++)
        {
            var xr = x.Slice(row * k, k);
            for (int n = 0; n < w.Rows; n++)
            {
                var wr = w.Row(n);
                double sum = 0;
                for (int i = 0; i < k; i++) sum += (double)xr[i] * wr[i];
                y[row * w.Rows + n] = (float)sum;
            }
        }
        return y;
    }

    /// <summary>
    /// FP16 activations times quantized weights with FP32 accumulation, as a dequantize-after-accumulate datapath
    /// (BitMoD, ANT, OliVe) computes it: within each group, p = Σ x · value(code) accumulated in FP32 in k order
    /// (each product of an FP16 activation and a small integer code value is exact in FP32); then
    /// y = Σ_groups p · scale in FP32 in group order, times the tensor scale.
    /// </summary>
    public static float[] Fp16ActivationsFp32Accumulate(ReadOnlySpan<Half> x, int m, QuantizedMatrix w)
    {
        var layout = w.Layout;
        int k = CheckShapes(x.Length, m, layout.Cols);
        var values = w.CodeValues();
        var activations = new float[x.Length];
        for (int i = 0; i < x.Length; i++) activations[i] = (float)x[i];
        var y = new float[m * layout.Rows];
        for (int row = 0; row < m; row++)
        {
            var xr = activations.AsSpan(row * k, k);
            for (int n = 0; n < layout.Rows; n++)
            {
                var wr = values.AsSpan(n * k, k);
                float total = 0;
                for (int start = 0, group = n * layout.GroupsPerRow; start < k; start += layout.GroupSize, group++)
                {
                    float partial = 0;
                    for (int i = start; i < Math.Min(start + layout.GroupSize, k); i++) partial += xr[i] * wr[i];
                    total += partial * w.Scales[group];
                }
                y[row * layout.Rows + n] = layout.HasTensorScale ? total * w.TensorScale : total;
            }
        }
        return y;
    }

    internal static int CheckShapes(int xLength, int m, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        if (xLength != (long)m * k) throw new ArgumentException($"activations: {m} x {k} needs {(long)m * k} values, got {xLength}");
        return k;
    }
}
