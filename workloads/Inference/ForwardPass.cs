using System.Buffers;
using System.Numerics.Tensors;
using HwSim.Workloads.Checkpoints;

namespace HwSim.Workloads.Inference;

/// <summary>
/// The LM head of a pass: <see cref="Weight"/> is the whole (dequantized) matrix when a plan quantizes it, null when
/// the logits read the checkpoint's head in blocks of <see cref="VocabBlock"/> rows; <see cref="Bias"/> when it has one.
/// </summary>
public sealed record LmHead(float[]? Weight, float[]? Bias)
{
    /// <summary>Vocabulary rows of an unquantized head converted at once (a multiple of <see cref="Gemm.BlockN"/>).</summary>
    public const int VocabBlock = 64 * Gemm.BlockN;
}

/// <summary>How a forward pass runs: activation format, weight quantizers, and a callback per finished layer.</summary>
public sealed record ForwardOptions(ActivationFormat Activations = ActivationFormat.Fp32, WeightQuantizerChoice? Quantizers = null)
{
    /// <summary>Called after each decoder layer of each batch of windows (layer index).</summary>
    public Action<int>? LayerDone { get; init; }

    /// <summary>Collects the weight error of every quantized op, when given.</summary>
    public WeightErrorTally? WeightErrors { get; init; }
}

/// <summary>Σ w² and Σ (Q(w) − w)² over the quantized weights of a pass: their SQNR in dB. Thread-safe.</summary>
public sealed class WeightErrorTally
{
    private readonly object gate = new();
    private double signal, error;

    public void Add(ReadOnlySpan<float> weights, ReadOnlySpan<float> quantized)
    {
        double s = 0, e = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double d = (double)quantized[i] - weights[i];
            s += (double)weights[i] * weights[i];
            e += d * d;
        }
        lock (gate)
        {
            signal += s;
            error += e;
        }
    }

    /// <summary>10·log10(Σw² / Σ(Q(w) − w)²), or null when nothing was quantized (or the error is zero).</summary>
    public double? SqnrDb
    {
        get
        {
            lock (gate) return error > 0 ? 10 * Math.Log10(signal / error) : null;
        }
    }
}

/// <summary>
/// The model's forward pass on CPU, layer by layer over a batch of windows: only one decoder layer's weights are in
/// memory at a time (read, quantized and dequantized when it is reached, released after), next to the batch's
/// activations. Every window is an independent sequence starting at position 0.
/// </summary>
public sealed class ForwardPass(CheckpointModel model, ForwardOptions options)
{
    private ForwardSpec Spec => model.Spec;

    /// <summary>Logits per hidden row.</summary>
    public int VocabSize => Spec.Shape.VocabSize;

    /// <summary>The final-normed hidden states of <paramref name="windows"/> sequences of <paramref name="sequence"/> tokens.</summary>
    public float[] Hidden(ReadOnlySpan<int> tokens, int windows, int sequence) =>
        FinalNorm(RunLayers(Embed(tokens[..(windows * sequence)], sequence), 0, windows, sequence));

    /// <summary>
    /// Runs decoder layers <paramref name="firstLayer"/>.. on <paramref name="hidden"/> (the residual stream entering
    /// that layer, updated in place and returned); <paramref name="layerInput"/> sees the stream entering each layer.
    /// </summary>
    public float[] RunLayers(float[] hidden, int firstLayer, int windows, int sequence, Action<int, float[]>? layerInput = null)
    {
        var shape = Spec.Shape;
        var scratch = new Scratch(windows * sequence, shape);
        LayerWeights? weights = null;
        for (int layer = firstLayer; layer < shape.Layers; layer++)
        {
            layerInput?.Invoke(layer, hidden);
            weights = LayerWeights.Load(model, layer, options.Quantizers, weights, options.WeightErrors);
            Layer(layer, weights, hidden, scratch, windows, sequence);
            options.LayerDone?.Invoke(layer);
        }
        return hidden;
    }

    /// <summary>The final norm of the residual stream, into a new array.</summary>
    public float[] FinalNorm(float[] hidden)
    {
        int h = Spec.Shape.HiddenSize;
        var normed = new float[hidden.Length];
        Kernels.Norm(Spec.Norm, hidden, normed, model.Weights.Read(model.Names.FinalNorm + ".weight", h),
            Spec.Norm.Kind == NormKind.Layer ? model.Weights.Read(model.Names.FinalNorm + ".bias", h) : null);
        options.Activations.Round(normed);
        return normed;
    }

    /// <summary>The LM head (dequantized and held whole when a plan quantizes it, read in vocabulary blocks otherwise) and its bias.</summary>
    public LmHead LmHead()
    {
        var shape = Spec.Shape;
        var bias = Spec.LmHeadBias ? model.Weights.Read(model.Names.LmHead + ".bias", shape.VocabSize) : null;
        if (options.Quantizers?.Invoke(-1, CheckpointNameMap.LmHeadOp, shape.HiddenSize) is not { } quantizer)
        {
            model.Weights.Entry(model.LmHeadWeight, shape.VocabSize, shape.HiddenSize);
            return new LmHead(null, bias);
        }
        // A quantizer's scales may span the whole tensor (per-tensor formats), so a quantized head is read whole.
        var weight = model.Weights.Read(model.LmHeadWeight, shape.VocabSize, shape.HiddenSize);
        var quantized = LayerWeights.Quantized(quantizer, model.LmHeadWeight, shape.VocabSize, shape.HiddenSize, weight);
        options.WeightErrors?.Add(weight, quantized);
        return new LmHead(quantized, bias);
    }

    /// <summary>Logits of <paramref name="rows"/> hidden rows starting at <paramref name="firstRow"/>, into <paramref name="logits"/> (rows × vocab).</summary>
    public void Logits(float[] hidden, int firstRow, int rows, LmHead head, float[] logits)
    {
        var shape = Spec.Shape;
        int h = shape.HiddenSize, vocab = shape.VocabSize;
        var a = new MatrixView(hidden, firstRow * h, rows, h, h);
        if (head.Weight is { } whole) Gemm.MultiplyTransposed(a, MatrixView.Of(whole, vocab, h), new MatrixView(logits, 0, rows, vocab, vocab));
        else
        {
            // An unquantized head is converted from the checkpoint LmHead.VocabBlock rows at a time into one buffer
            // rather than held whole (1.05 GB of FP32 for a 128k vocabulary). The block is a multiple of Gemm.BlockN,
            // so every logit falls in the same panel and register tile as in one product over the whole head and the
            // logits are bit-identical.
            var block = ArrayPool<float>.Shared.Rent(Math.Min(vocab, Inference.LmHead.VocabBlock) * h);
            for (int v0 = 0; v0 < vocab; v0 += Inference.LmHead.VocabBlock)
            {
                int n = Math.Min(Inference.LmHead.VocabBlock, vocab - v0);
                model.Weights.ReadRows(model.LmHeadWeight, v0, block.AsSpan(0, n * h));
                Gemm.MultiplyTransposed(a, new MatrixView(block, 0, n, h, h), new MatrixView(logits, v0, rows, n, vocab));
            }
            ArrayPool<float>.Shared.Return(block);
        }
        var span = logits.AsSpan(0, rows * vocab);
        if (head.Bias is { } bias) Kernels.AddBias(span, bias);
        if (Spec.FinalSoftcap is { } cap)
        {
            TensorPrimitives.Multiply(span, (float)(1 / cap), span);
            TensorPrimitives.Tanh(span, span);
            TensorPrimitives.Multiply(span, (float)cap, span);
        }
        options.Activations.Round(span);
    }

    /// <summary>All logits of one sequence (sequence × vocab), for checks against a reference implementation.</summary>
    public float[] Logits(ReadOnlySpan<int> tokens)
    {
        var hidden = Hidden(tokens, 1, tokens.Length);
        var logits = new float[(long)tokens.Length * Spec.Shape.VocabSize];
        Logits(hidden, 0, tokens.Length, LmHead(), logits);
        return logits;
    }

    /// <summary>Token (and learned position) embeddings of each token: the residual stream entering layer 0.</summary>
    public float[] Embed(ReadOnlySpan<int> tokens, int sequence)
    {
        var shape = Spec.Shape;
        int h = shape.HiddenSize;
        var hidden = new float[(long)tokens.Length * h];
        string embedding = model.Names.Embedding + ".weight";
        var position = new float[h];
        for (int r = 0; r < tokens.Length; r++)
        {
            var row = hidden.AsSpan(r * h, h);
            model.Weights.ReadRow(embedding, tokens[r], row);
            if (Spec.EmbeddingScale != 1) TensorPrimitives.Multiply(row, (float)Spec.EmbeddingScale, row);
            if (model.Names.Positions is { } positions)
            {
                model.Weights.ReadRow(positions + ".weight", r % sequence + Spec.PositionOffset, position);
                TensorPrimitives.Add(row, position, row);
            }
        }
        options.Activations.Round(hidden);
        return hidden;
    }

    private void Layer(int layer, LayerWeights w, float[] hidden, Scratch s, int windows, int sequence)
    {
        var names = model.Names;
        switch (Spec.Layout)
        {
            case BlockLayout.Sequential:
            {
                string second = names.Norms.Keys.Single(n => n != "input_layernorm");
                Norm(w, "input_layernorm", hidden, s.Normed);
                AttentionBlock(layer, w, s, windows, sequence);
                Residual(hidden, s.Attended);
                Norm(w, second, hidden, s.Normed);
                FfnBlock(w, s);
                Residual(hidden, s.FfnOut);
                break;
            }
            case BlockLayout.Parallel:
                Norm(w, "input_layernorm", hidden, s.Normed);
                AttentionBlock(layer, w, s, windows, sequence);
                FfnBlock(w, s);
                TensorPrimitives.Add(s.Attended, s.FfnOut, s.Attended);
                Residual(hidden, s.Attended);
                break;
            case BlockLayout.Sandwich:
                Norm(w, "input_layernorm", hidden, s.Normed);
                AttentionBlock(layer, w, s, windows, sequence);
                Norm(w, "post_attention_layernorm", s.Attended, s.Attended);
                Residual(hidden, s.Attended);
                Norm(w, "pre_feedforward_layernorm", hidden, s.Normed);
                FfnBlock(w, s);
                Norm(w, "post_feedforward_layernorm", s.FfnOut, s.FfnOut);
                Residual(hidden, s.FfnOut);
                break;
        }
    }

    private void Norm(LayerWeights w, string norm, float[] input, float[] output)
    {
        Kernels.Norm(Spec.Norm, input, output, w.NormWeight(norm), w.NormBias(norm));
        options.Activations.Round(output);
    }

    private void Residual(float[] hidden, float[] delta)
    {
        TensorPrimitives.Add(hidden, delta, hidden);
        options.Activations.Round(hidden);
    }

    private void Linear(LayerWeights w, string op, float[] input, int inFeatures, float[] output, int outFeatures, int rows)
    {
        Gemm.MultiplyTransposed(new MatrixView(input, 0, rows, inFeatures, inFeatures), MatrixView.Of(w.Linear(op), outFeatures, inFeatures),
            new MatrixView(output, 0, rows, outFeatures, outFeatures));
        var span = output.AsSpan(0, rows * outFeatures);
        if (w.Bias(op) is { } bias) Kernels.AddBias(span, bias);
        options.Activations.Round(span);
    }

    private void AttentionBlock(int layer, LayerWeights w, Scratch s, int windows, int sequence)
    {
        var shape = Spec.Shape;
        int h = shape.HiddenSize;
        Linear(w, "q_proj", s.Normed, h, s.Q, shape.QueryWidth, s.Rows);
        Linear(w, "k_proj", s.Normed, h, s.K, shape.KvWidth, s.Rows);
        Linear(w, "v_proj", s.Normed, h, s.V, shape.KvWidth, s.Rows);
        Kernels.Rope(s.Q, shape.Heads, shape.HeadDim, sequence, Spec.RopeInverseFrequencies);
        Kernels.Rope(s.K, shape.KvHeads, shape.HeadDim, sequence, Spec.RopeInverseFrequencies);
        options.Activations.Round(s.Q);
        options.Activations.Round(s.K);
        Attention.Run(Spec, layer, s.Q, s.K, s.V, s.Context, windows, sequence, options.Activations);
        Linear(w, "o_proj", s.Context, shape.QueryWidth, s.Attended, h, s.Rows);
    }

    private void FfnBlock(LayerWeights w, Scratch s)
    {
        var shape = Spec.Shape;
        int h = shape.HiddenSize, i = shape.IntermediateSize;
        var activation = ActivationFunctions.Get(Spec.Activation, "config.json");
        bool gated = shape.Ffn == Models.FfnKind.Gated;
        Linear(w, gated ? "gate_proj" : "fc1", s.Normed, h, s.Inner, i, s.Rows);
        var inner = s.Inner.AsSpan(0, s.Rows * i);
        for (int k = 0; k < inner.Length; k++) inner[k] = activation(inner[k]);
        options.Activations.Round(inner);
        if (gated)
        {
            Linear(w, "up_proj", s.Normed, h, s.Up!, i, s.Rows);
            TensorPrimitives.Multiply(inner, s.Up.AsSpan(0, inner.Length), inner);
            options.Activations.Round(inner);
        }
        Linear(w, gated ? "down_proj" : "fc2", s.Inner, i, s.FfnOut, h, s.Rows);
    }

    /// <summary>Activation buffers of one batch, reused by every layer.</summary>
    private sealed class Scratch(int rows, Models.ModelConfig shape)
    {
        public int Rows => rows;
        public float[] Normed { get; } = new float[(long)rows * shape.HiddenSize];
        public float[] Q { get; } = new float[(long)rows * shape.QueryWidth];
        public float[] K { get; } = new float[(long)rows * shape.KvWidth];
        public float[] V { get; } = new float[(long)rows * shape.KvWidth];
        public float[] Context { get; } = new float[(long)rows * shape.QueryWidth];
        public float[] Attended { get; } = new float[(long)rows * shape.HiddenSize];
        public float[] Inner { get; } = new float[(long)rows * shape.IntermediateSize];
        public float[]? Up { get; } = shape.Ffn == Models.FfnKind.Gated ? new float[(long)rows * shape.IntermediateSize] : null;
        public float[] FfnOut { get; } = new float[(long)rows * shape.HiddenSize];

        /// <summary>Bytes of activations per token of a batch (these buffers plus the residual stream and final norm).</summary>
        public static long BytesPerToken(Models.ModelConfig shape) =>
            4L * (5 * shape.HiddenSize + 2 * shape.QueryWidth + 2 * shape.KvWidth + 2 * shape.IntermediateSize);
    }

    /// <summary>Bytes of activations one token of a batch holds.</summary>
    public static long ActivationBytesPerToken(Models.ModelConfig shape) => Scratch.BytesPerToken(shape);
}
