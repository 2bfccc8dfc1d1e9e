using System.Buffers;
using System.Numerics.Tensors;
using HwSim.Workloads.Checkpoints;

namespace HwSim.Workloads.Inference;

/// <summary>
/// Causal multi-head attention with grouped K/V heads (GQA: query head h reads K/V head h / (heads / kv_heads)),
/// each window attending only within itself. Scores come in blocks of <see cref="QueryBlock"/> queries against the
/// keys up to the block's last position (the causal mask's zero upper triangle is not computed), then scale,
/// optional soft cap, causal and sliding-window masks, softmax, and the product with V, all through
/// <see cref="Gemm"/>. Parallel over (window, head) pairs.
/// </summary>
public static class Attention
{
    public const int QueryBlock = 128;

    /// <param name="q">windows·sequence rows of heads·head_dim (RoPE applied).</param>
    /// <param name="k">windows·sequence rows of kv_heads·head_dim (RoPE applied).</param>
    /// <param name="v">windows·sequence rows of kv_heads·head_dim.</param>
    /// <param name="output">windows·sequence rows of heads·head_dim.</param>
    public static void Run(ForwardSpec spec, int layer, float[] q, float[] k, float[] v, float[] output, int windows, int sequence, ActivationFormat format)
    {
        var shape = spec.Shape;
        int heads = shape.Heads, kvHeads = shape.KvHeads, d = shape.HeadDim, group = heads / kvHeads;
        int qWidth = heads * d, kvWidth = kvHeads * d;
        int? window = spec.IsSliding(layer) ? spec.SlidingWindow : null;
        Parallel.For(0, windows * heads, task =>
        {
            int w = task / heads, head = task % heads, g = head / group;
            int firstRow = w * sequence;
            // Both buffers are large-object-heap sized at long sequences (1.5 MB per task at 2048 tokens); renting them
            // from the pool keeps a pass from leaving windows × heads × layers of them as garbage between collections.
            // Every element read is written first (Vᵀ in full, each score row up to its keys), so reused contents
            // never reach a result.
            var transposed = ArrayPool<float>.Shared.Rent(d * sequence);
            var scores = ArrayPool<float>.Shared.Rent(QueryBlock * sequence);
            // Vᵀ of this window's K/V head: head_dim rows of sequence values, so P·V is again a product with Bᵀ.
            for (int t = 0; t < sequence; t++)
                for (int i = 0; i < d; i++) transposed[i * sequence + t] = v[(firstRow + t) * kvWidth + g * d + i];
            for (int q0 = 0; q0 < sequence; q0 += QueryBlock)
            {
                int rows = Math.Min(QueryBlock, sequence - q0), keys = q0 + rows;
                var queries = new MatrixView(q, (firstRow + q0) * qWidth + head * d, rows, d, qWidth);
                var keyRows = new MatrixView(k, firstRow * kvWidth + g * d, keys, d, kvWidth);
                var block = new MatrixView(scores, 0, rows, keys, sequence);
                Gemm.MultiplyTransposed(queries, keyRows, block, maxThreads: 1);
                for (int i = 0; i < rows; i++) Probabilities(spec, block.Row(i), q0 + i, window, format);
                var values = new MatrixView(transposed, 0, d, keys, sequence);
                var result = new MatrixView(output, (firstRow + q0) * qWidth + head * d, rows, d, qWidth);
                Gemm.MultiplyTransposed(block, values, result, maxThreads: 1);
            }
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<float>.Shared.Return(transposed);
        });
        format.Round(output);
    }

    /// <summary>Turns one query's raw scores into probabilities over the keys it may see (zeros elsewhere).</summary>
    private static void Probabilities(ForwardSpec spec, Span<float> row, int position, int? window, ActivationFormat format)
    {
        int first = window is { } w ? Math.Max(0, position - w + 1) : 0;
        row[..first].Clear();
        row[(position + 1)..].Clear();
        var visible = row[first..(position + 1)];
        TensorPrimitives.Multiply(visible, (float)spec.AttentionScale, visible);
        if (spec.AttentionSoftcap is { } cap)
        {
            TensorPrimitives.Multiply(visible, (float)(1 / cap), visible);
            TensorPrimitives.Tanh(visible, visible);
            TensorPrimitives.Multiply(visible, (float)cap, visible);
        }
        float max = TensorPrimitives.Max(visible);
        TensorPrimitives.Subtract(visible, max, visible);
        TensorPrimitives.Exp(visible, visible);
        TensorPrimitives.Divide(visible, TensorPrimitives.Sum(visible), visible);
        format.Round(visible);
    }
}
