using System.Numerics.Tensors;
using HwSim.Workloads.Checkpoints;

namespace HwSim.Workloads.Inference;

/// <summary>The element-wise and row-wise steps of a decoder layer, FP32 throughout.</summary>
public static class Kernels
{
    /// <summary>Normalizes each row of <paramref name="x"/> (row width = weight length) into <paramref name="output"/>.</summary>
    public static void Norm(NormSpec spec, ReadOnlySpan<float> x, Span<float> output, float[] weight, float[]? bias)
    {
        int width = weight.Length;
        for (int r = 0; r < x.Length / width; r++)
        {
            var row = x.Slice(r * width, width);
            var result = output.Slice(r * width, width);
            float mean = 0;
            if (spec.Kind == NormKind.Layer)
            {
                mean = TensorPrimitives.Sum(row) / width;
                TensorPrimitives.Subtract(row, mean, result);
            }
            else row.CopyTo(result);
            float variance = TensorPrimitives.SumOfSquares(result) / width;
            float inverse = 1 / MathF.Sqrt(variance + (float)spec.Epsilon);
            TensorPrimitives.Multiply(result, inverse, result);
            for (int i = 0; i < width; i++) result[i] *= spec.UnitOffset ? 1 + weight[i] : weight[i];
            if (bias is not null) TensorPrimitives.Add(result, bias, result);
        }
    }

    /// <summary>
    /// Rotates the first rotary dims of every head of every row in place (RoPE as transformers' apply_rotary_pos_emb:
    /// element i pairs with i + d/2, x' = x·cos − x_pair·sin for the first half, x·cos + x_pair·sin for the second).
    /// Row r of <paramref name="x"/> is the token at position r mod <paramref name="sequence"/>.
    /// </summary>
    public static void Rope(Span<float> x, int heads, int headDim, int sequence, IReadOnlyList<double> inverseFrequencies)
    {
        int half = inverseFrequencies.Count, width = heads * headDim;
        if (half == 0) return;
        var cos = new float[half];
        var sin = new float[half];
        for (int r = 0; r < x.Length / width; r++)
        {
            int position = r % sequence;
            for (int i = 0; i < half; i++)
            {
                double angle = position * inverseFrequencies[i];
                cos[i] = (float)Math.Cos(angle);
                sin[i] = (float)Math.Sin(angle);
            }
            for (int h = 0; h < heads; h++)
            {
                var head = x.Slice(r * width + h * headDim, 2 * half);
                for (int i = 0; i < half; i++)
                {
                    float first = head[i], second = head[i + half];
                    head[i] = first * cos[i] - second * sin[i];
                    head[i + half] = second * cos[i] + first * sin[i];
                }
            }
        }
    }

    /// <summary>Adds a bias to every row.</summary>
    public static void AddBias(Span<float> x, float[] bias)
    {
        for (int r = 0; r < x.Length / bias.Length; r++)
        {
            var row = x.Slice(r * bias.Length, bias.Length);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>Natural-log softmax normalizer of one row: log Σ exp(z).</summary>
    public static double LogSumExp(ReadOnlySpan<float> row)
    {
        float max = TensorPrimitives.Max(row);
        double sum = 0;
        foreach (float z in row) sum += Math.Exp(z - max);
        return max + Math.Log(sum);
    }
}
