using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>The scale of one block, from its weights.</summary>
internal delegate float BlockScale(ReadOnlySpan<float> block);

/// <summary>
/// The loop shared by block-scaled formats (MX, NVFP4): for every block of a row, its scale, then every weight as
/// the nearest codebook value of w / (scale · tensor scale); a zero divisor encodes the block as zeros.
/// </summary>
internal static class BlockEncoder
{
    public static (byte[] Codes, float[] Scales) Encode(WeightMatrix weights, QuantizedLayout layout, NearestValueKernel kernel,
        BlockScale blockScale, float tensorScale, ParallelOptions? parallel)
    {
        var codes = new byte[layout.Elements];
        var scales = new float[layout.GroupCount];
        int blockSize = layout.GroupSize;
        var sortedCodes = kernel.Codebook.SortedCodes.ToArray();
        Parallel.For(0, weights.Rows, parallel ?? new ParallelOptions(), row =>
        {
            var normalized = new float[blockSize];
            var indices = new int[blockSize];
            for (int start = 0, group = row * layout.GroupsPerRow; start < weights.Cols; start += blockSize, group++)
            {
                var w = weights.Row(row)[start..Math.Min(start + blockSize, weights.Cols)];
                float scale = blockScale(w);
                scales[group] = scale;
                float divisor = scale * tensorScale;
                if (divisor == 0) Array.Clear(normalized);
                else VectorMath.Divide(w, divisor, normalized);
                kernel.NearestIndices(normalized.AsSpan(0, w.Length), indices);
                var output = codes.AsSpan(row * weights.Cols + start, w.Length);
                for (int i = 0; i < w.Length; i++) output[i] = sortedCodes[indices[i]];
            }
        });
        return (codes, scales);
    }
}
