using System.Numerics;

namespace HwSim.Numerics.DataTypes;

/// <summary>
/// Element-wise float helpers for the quantizer hot loops, with <see cref="Vector{T}"/>. Division is correctly
/// rounded and max is exact, so lanes equal scalar code; squared errors are summed in double.
/// </summary>
public static class VectorMath
{
    /// <summary>output[i] = input[i] / divisor, correctly rounded in float.</summary>
    public static void Divide(ReadOnlySpan<float> input, float divisor, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output shorter than input", nameof(output));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var d = new Vector<float>(divisor);
            for (; i <= input.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(input[i..]) / d).CopyTo(output[i..]);
        }
        for (; i < input.Length; i++) output[i] = input[i] / divisor;
    }

    /// <summary>max |values[i]| (0 for an empty span); inputs are finite.</summary>
    public static float AbsMax(ReadOnlySpan<float> values)
    {
        int i = 0;
        var lanes = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
                lanes = Vector.Max(lanes, Vector.Abs(new Vector<float>(values[i..])));
        }
        float absMax = 0;
        for (int lane = 0; lane < Vector<float>.Count; lane++) absMax = Math.Max(absMax, lanes[lane]);
        for (; i < values.Length; i++) absMax = Math.Max(absMax, Math.Abs(values[i]));
        return absMax;
    }

    /// <summary>
    /// Σ ((q[i] − zero) · scale − w[i])²: each reconstruction and difference rounded to float as dequantization
    /// computes it, the squares summed in double.
    /// </summary>
    public static double SquaredError(ReadOnlySpan<float> q, float zero, float scale, ReadOnlySpan<float> w)
    {
        var sums = Vector<double>.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(scale);
            var z = new Vector<float>(zero);
            for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = (new Vector<float>(q[i..]) - z) * s - new Vector<float>(w[i..]);
                Vector.Widen(d, out Vector<double> low, out Vector<double> high);
                sums += low * low + high * high;
            }
        }
        double error = Vector.Sum(sums);
        for (; i < w.Length; i++)
        {
            double d = (q[i] - zero) * scale - w[i];
            error += d * d;
        }
        return error;
    }
}
