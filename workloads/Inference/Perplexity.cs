namespace HwSim.Workloads.Inference;

/// <summary>Perplexity over non-overlapping windows, with each window's mean negative log-likelihood (nats per token).</summary>
public sealed record PerplexityResult(int Windows, int SequenceLength, long PredictedTokens, double MeanNll, IReadOnlyList<double> WindowNll)
{
    public double Perplexity => Math.Exp(MeanNll);
}

/// <summary>
/// Perplexity by the protocol of GPTQ (IST-DASLab/gptq, llama.py llama_eval) that BitMoD, AWQ and OmniQuant share:
/// the token stream is cut into ⌊n / L⌋ non-overlapping windows of L tokens (the tail dropped), each window is an
/// independent sequence, positions 0..L−2 predict tokens 1..L−1, and PPL = exp(mean cross-entropy over all predicted
/// tokens) — equal to exp(Σ nllᵢ / (windows·L)) with nllᵢ = mean lossᵢ·L, since every window predicts L − 1 tokens.
/// </summary>
public static class Perplexity
{
    /// <summary>Activation memory a batch of windows may use before the windows are split into several batches.</summary>
    public const long BatchActivationBytes = 1L << 30;

    /// <summary>
    /// Logit rows computed at once (rows × vocab floats): each block reads an unquantized LM head once more, so more
    /// rows mean fewer reads; a multiple of 4 (the GEMM's register tile) so every row's logits are bit-identical to
    /// any other such blocking.
    /// </summary>
    public const int LogitRows = 256;

    /// <summary>Windows evaluated together (one pass over the layers each).</summary>
    public static int BatchSize(Models.ModelConfig shape, int windows, int sequence) =>
        (int)Math.Clamp(BatchActivationBytes / (ForwardPass.ActivationBytesPerToken(shape) * sequence), 1, Math.Max(1, windows));

    /// <summary>Passes over the layers <see cref="Evaluate"/> makes for <paramref name="windows"/> windows.</summary>
    public static int Batches(Models.ModelConfig shape, int windows, int sequence) =>
        (windows + BatchSize(shape, windows, sequence) - 1) / BatchSize(shape, windows, sequence);

    public static int WindowCount(int tokens, int sequence, int? maxWindows) =>
        Math.Min(tokens / sequence, maxWindows ?? int.MaxValue);

    public static PerplexityResult Evaluate(CheckpointModel model, int[] tokens, int sequence, int? maxWindows, ForwardOptions options)
    {
        if (sequence < 2) throw new ArgumentOutOfRangeException(nameof(sequence), "a window needs at least 2 tokens");
        int windows = WindowCount(tokens.Length, sequence, maxWindows);
        if (windows < 1) throw new InvalidDataException($"tokens: {tokens.Length} tokens do not fill one window of {sequence}");
        int vocab = model.Shape.VocabSize;
        for (int i = 0; i < windows * sequence; i++)
            if ((uint)tokens[i] >= (uint)vocab) throw new InvalidDataException($"tokens: token {i} is {tokens[i]}, outside the vocabulary 0..{vocab - 1}");
        int batch = BatchSize(model.Shape, windows, sequence);
        var pass = new ForwardPass(model, options);
        var windowNll = new double[windows];
        for (int first = 0; first < windows; first += batch)
        {
            int count = Math.Min(batch, windows - first);
            var hidden = pass.Hidden(tokens.AsSpan(first * sequence, count * sequence), count, sequence);
            WindowNll(pass, hidden, tokens.AsSpan(first * sequence, count * sequence), count, sequence, windowNll.AsSpan(first, count));
        }
        return new PerplexityResult(windows, sequence, (long)windows * (sequence - 1), windowNll.Average(), windowNll);
    }

    /// <summary>Mean NLL of each window from its final-normed hidden states (logits computed <see cref="LogitRows"/> rows at a time).</summary>
    public static void WindowNll(ForwardPass pass, float[] hidden, ReadOnlySpan<int> tokens, int windows, int sequence, Span<double> nll)
    {
        var head = pass.LmHead();
        int vocab = pass.VocabSize;
        var logits = new float[(long)LogitRows * vocab];
        for (int w = 0; w < windows; w++)
        {
            double sum = 0;
            for (int t0 = 0; t0 < sequence - 1; t0 += LogitRows)
            {
                int rows = Math.Min(LogitRows, sequence - 1 - t0);
                pass.Logits(hidden, w * sequence + t0, rows, head, logits);
                for (int r = 0; r < rows; r++)
                {
                    var row = logits.AsSpan(r * vocab, vocab);
                    sum += Kernels.LogSumExp(row) - row[tokens[w * sequence + t0 + r + 1]];
                }
            }
            nll[w] = sum / (sequence - 1);
        }
    }
}
