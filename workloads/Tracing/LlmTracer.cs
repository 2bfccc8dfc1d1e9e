using HwSim.Workloads.Models;

namespace HwSim.Workloads.Tracing;

/// <summary>
/// Sequences of one pass that attend alike: each computes <see cref="Queries"/> new tokens over
/// <see cref="Context"/> tokens in all (its own included). <see cref="CachedContext"/>: K/V come from the KV cache
/// (a decode step, a later prefill chunk) rather than from this pass's activations (a whole prompt).
/// </summary>
public sealed record AttentionGroup(long Sequences, long Queries, Affine Context, bool CachedContext);

/// <summary>What to trace: a model, batch B, prompt length P, generated tokens T, and operand formats.</summary>
public sealed record TraceRequest(ModelConfig Model, int Batch, int Prompt, int Generate, Precision? Precision = null)
{
    /// <summary>
    /// The largest workload simulated: 2^56 (about 7.2e16) multiply-accumulates over prefill and every decode step,
    /// over 100 times LLaMA-2-70B with a 4096-token prompt and 4096 generated tokens. Below it every op count, and the
    /// byte, cycle and energy totals the simulator and cost models derive from them, fit 64-bit integers. A trace
    /// alone (its summaries are closed forms in 128-bit integers over the decode steps) needs only each pass
    /// (prefill, or one decode step at the longest context) to stay below it.
    /// </summary>
    public const long MaxMacs = 1L << 56;

    /// <summary>The first problem of the request (null if none); <paramref name="wholeRun"/> bounds the whole run, else each pass.</summary>
    public string? Validate(bool wholeRun = true)
    {
        if (Batch < 1) return $"batch: must be at least 1 (got {Batch})";
        if (Prompt < 1) return $"prompt: must be at least 1 (got {Prompt})";
        if (Generate < 0) return $"generate: must not be negative (got {Generate})";
        if (Model.Validate() is { } problem) return problem;
        Int128 context = (long)Prompt + Generate;
        if (wholeRun)
        {
            Int128 run = MacBound((Int128)Batch * context, context);
            return run > MaxMacs
                ? $"batch x (prompt + generate): {Batch} x ({Prompt} + {Generate}) tokens of {Model.Name} need about {(double)run:0.#e0} MACs, more than the limit of 2^56 ({MaxMacs:0.#e0})"
                : null;
        }
        Int128 pass = Int128.Max(MacBound((Int128)Batch * Prompt, Prompt), MacBound(Batch, context));
        return pass > MaxMacs
            ? $"batch, prompt + generate: one pass of {Batch} x {Prompt} tokens, or a decode step at context {context}, of {Model.Name} needs about {(double)pass:0.#e0} MACs, more than the limit of 2^56 ({MaxMacs:0.#e0})"
            : null;
    }

    /// <summary>
    /// An upper bound of the MACs of <paramref name="tokens"/> tokens, in 128-bit arithmetic: every token through every
    /// layer (projections, FFN, attention over <paramref name="context"/>) and the LM head.
    /// </summary>
    private Int128 MacBound(Int128 tokens, Int128 context)
    {
        Int128 h = Model.HiddenSize, query = (long)Model.Heads * Model.HeadDim, kv = (long)Model.KvHeads * Model.HeadDim;
        Int128 perLayer = h * (2 * query + 2 * kv) + 3 * h * Model.IntermediateSize + 2 * query * context;
        return tokens * (Model.Layers * perLayer + (Int128)Model.VocabSize * h);
    }
}

/// <summary>
/// Builds the operation graph of an LLM forward pass. Prefill runs B·P tokens through every layer; the LM head runs
/// on the last position of each sequence only (the logits generation needs). A decode step runs B tokens, writes
/// one KV entry per layer and attends over the kv cached tokens plus its own. Attention computes the full score
/// matrix (causal masking is applied to it, not skipped), as the systolic and bit-serial arrays modeled here do.
/// </summary>
public static class LlmTracer
{
    public static Workload Trace(TraceRequest request)
    {
        if (request.Validate(wholeRun: false) is { } problem) throw new ArgumentException(problem, nameof(request));
        var model = request.Model;
        var prefill = new LayerPass(model, Phase.Prefill,
            [new AttentionGroup(request.Batch, request.Prompt, new Affine(request.Prompt), CachedContext: false)], firstId: 0).Build();
        var decode = request.Generate == 0 ? [] : new LayerPass(model, Phase.Decode,
            [new AttentionGroup(request.Batch, 1, new Affine(1, 1), CachedContext: true)], firstId: prefill.Count).Build();
        return new Workload(
            $"{model.Name} B={request.Batch} P={request.Prompt} T={request.Generate}",
            model, request.Batch, request.Prompt, request.Generate, request.Precision ?? Precision.Fp16, prefill, decode);
    }

    /// <summary>
    /// One forward pass over sequences at different points (a serving iteration): the non-attention ops run once on
    /// the concatenated tokens of every group, attention runs per group (Orca's selective batching, Yu et al.,
    /// OSDI'22 Sec. 4), and the LM head on one position per sequence. With one group this is the pass
    /// <see cref="Trace"/> builds for that phase. The ops come back in <see cref="Workload.Prefill"/> (one pass, run
    /// once); their <see cref="TraceOp.Phase"/> is <paramref name="phase"/>, which picks the phase's weights.
    /// </summary>
    public static Workload TraceIteration(ModelConfig model, IReadOnlyList<AttentionGroup> groups, Phase phase, Precision? precision = null)
    {
        if (groups.Count == 0) throw new ArgumentException("an iteration needs at least one attention group", nameof(groups));
        foreach (var group in groups)
            if (group.Sequences < 1 || group.Queries < 1 || !group.Context.IsConstant || group.Context.Constant < group.Queries)
                throw new ArgumentException($"attention group {group}: needs sequences, queries >= 1 and a fixed context >= queries", nameof(groups));
        var ops = new LayerPass(model.Validated(), phase, groups, firstId: 0).Build();
        long sequences = groups.Sum(g => g.Sequences);
        long tokens = groups.Sum(g => g.Sequences * g.Queries);
        return new Workload($"{model.Name} iteration of {sequences} sequences, {tokens} tokens", model, checked((int)sequences),
            checked((int)Math.Max(1, tokens / sequences)), 0, precision ?? Precision.Fp16, ops, []);
    }

    /// <summary>One pass over the whole model; every group adds its own attention ops, all share the other ops.</summary>
    private sealed class LayerPass(ModelConfig model, Phase phase, IReadOnlyList<AttentionGroup> groups, int firstId)
    {
        private readonly List<TraceOp> ops = [];
        private readonly long batch = groups.Sum(g => g.Sequences);
        private readonly long tokens = groups.Sum(g => g.Sequences * g.Queries);
        private readonly long h = model.HiddenSize;
        private int layer = -1;

        public List<TraceOp> Build()
        {
            int x = Embedding();
            for (layer = 0; layer < model.Layers; layer++) x = DecoderLayer(x);
            layer = -1;
            int norm = Norm("norm", x);
            Linear("lm_head", norm, batch, model.VocabSize, h,
                model.TieWordEmbeddings ? "embed_tokens" : "lm_head", model.Family == ModelFamily.Phi);
            return ops;
        }

        private int Embedding()
        {
            var operands = new List<Operand>
            {
                new("embed_tokens", OperandRole.Weight, false, tokens * h),
                new("hidden", OperandRole.Activation, true, tokens * h),
            };
            if (model.LearnedPositions > 0) operands.Insert(1, new("embed_positions", OperandRole.Weight, false, tokens * h));
            return Add("embedding", OpKind.Embedding, null, tokens * h, operands, []);
        }

        private int DecoderLayer(int x)
        {
            int normed = Norm("input_layernorm", x);
            int attention = Attention(normed);
            if (model.Family == ModelFamily.Phi)
            {
                // Phi-2: attention and MLP both read the same normed input; x + attn + mlp in one add.
                int mlp = Ffn(normed);
                return Elementwise("residual", OpKind.ResidualAdd, tokens * h, 3, [x, attention, mlp]);
            }
            if (model.Family == ModelFamily.Gemma2) attention = Norm("post_attention_layernorm", attention);
            int afterAttention = Elementwise("attn_residual", OpKind.ResidualAdd, tokens * h, 2, [x, attention]);
            int ffnInput = Norm(model.Family switch
            {
                ModelFamily.Gemma2 => "pre_feedforward_layernorm",
                ModelFamily.Opt => "final_layer_norm",
                _ => "post_attention_layernorm",
            }, afterAttention);
            int ffn = Ffn(ffnInput);
            if (model.Family == ModelFamily.Gemma2) ffn = Norm("post_feedforward_layernorm", ffn);
            return Elementwise("ffn_residual", OpKind.ResidualAdd, tokens * h, 2, [afterAttention, ffn]);
        }

        private int Attention(int normed)
        {
            long heads = model.Heads, kvHeads = model.KvHeads;
            int q = Linear("q_proj", normed, tokens, model.QueryWidth, h, "q_proj", model.QkvBias);
            int k = Linear("k_proj", normed, tokens, model.KvWidth, h, "k_proj", model.QkvBias);
            int v = Linear("v_proj", normed, tokens, model.KvWidth, h, "v_proj", model.QkvBias);
            if (model.RotaryDim > 0)
            {
                long rotated = tokens * (heads + kvHeads) * model.RotaryDim;
                int rope = Add("rope", OpKind.Rope, null, rotated,
                    [Activation("qk", rotated, false), Activation("qk_rotated", rotated, true)], [q, k]);
                q = k = rope;
            }
            long kvWritten = 2 * tokens * model.KvWidth;
            int write = Add("kv_cache_write", OpKind.KvCacheWrite, null, kvWritten,
                [Activation("kv", kvWritten, false), new("kv_cache", OperandRole.KvCache, true, kvWritten)], [k, v]);

            var contexts = new int[groups.Count];
            for (int g = 0; g < groups.Count; g++) contexts[g] = GroupAttention(groups[g], groups.Count == 1 ? "" : $".g{g}", q, write);
            return Linear("o_proj", contexts, tokens, h, model.QueryWidth, "o_proj", model.LinearBiases);
        }

        /// <summary>Scores, softmax and context of one group; returns the context op.</summary>
        private int GroupAttention(AttentionGroup group, string suffix, int q, int write)
        {
            long heads = model.Heads, kvHeads = model.KvHeads, headDim = model.HeadDim;
            long sequences = group.Sequences, queries = group.Queries, groupTokens = sequences * queries;
            var context = group.Context;
            // A pass attends to the fresh K/V activations of its own tokens; cached context is read back from the cache.
            var kvRole = group.CachedContext ? OperandRole.KvCache : OperandRole.Activation;
            Affine scoreCount = sequences * heads * queries * context;
            Affine cachedKv = sequences * kvHeads * headDim * context;
            int scores = Add("attn_scores" + suffix, OpKind.AttentionScores, new GemmShape(queries, context, headDim, sequences * heads), 0,
                [Activation("q", groupTokens * model.QueryWidth, false), new("k", kvRole, false, cachedKv), Activation("scores", scoreCount, true)],
                [q, write]);
            int softmax = Elementwise("softmax" + suffix, OpKind.Softmax, scoreCount, 1, [scores]);
            return Add("attn_context" + suffix, OpKind.AttentionContext, new GemmShape(queries, headDim, context, sequences * heads), 0,
                [Activation("probs", scoreCount, false), new("v", kvRole, false, cachedKv), Activation("attn_out", groupTokens * model.QueryWidth, true)],
                [softmax, write]);
        }

        private int Ffn(int input)
        {
            long i = model.IntermediateSize;
            if (model.Ffn == FfnKind.Gated)
            {
                int gate = Linear("gate_proj", input, tokens, i, h, "gate_proj", false);
                int up = Linear("up_proj", input, tokens, i, h, "up_proj", false);
                int act = Elementwise("act_mul", OpKind.Activation, tokens * i, 2, [gate, up]);
                return Linear("down_proj", act, tokens, h, i, "down_proj", false);
            }
            int fc1 = Linear("fc1", input, tokens, i, h, "fc1", true);
            int activation = Elementwise("act", OpKind.Activation, tokens * i, 1, [fc1]);
            return Linear("fc2", activation, tokens, h, i, "fc2", true);
        }

        private int Norm(string name, int input) =>
            Add(name, OpKind.Norm, null, tokens * h,
                [Activation("in", tokens * h, false), Weight(name, model.Family is ModelFamily.Opt or ModelFamily.Phi ? 2 * h : h),
                    Activation("out", tokens * h, true)],
                [input]);

        /// <summary>Y[M×N] = X[M×K] · W^T with W stored N×K (plus a bias of N when present).</summary>
        private int Linear(string name, int input, long m, long n, long k, string weight, bool bias) =>
            Linear(name, [input], m, n, k, weight, bias);

        private int Linear(string name, int[] inputs, long m, long n, long k, string weight, bool bias) =>
            Add(name, OpKind.Linear, new GemmShape(m, n, k), 0,
                [Activation("in", m * k, false), Weight(weight, n * k + (bias ? n : 0)), Activation("out", m * n, true)],
                inputs);

        private int Elementwise(string name, OpKind kind, Affine elements, int inputs, int[] dependsOn) =>
            Add(name, kind, null, elements,
                [Activation("in", inputs * elements, false), Activation("out", elements, true)], dependsOn);

        private Operand Weight(string tensor, long elements) =>
            new(layer >= 0 && tensor != "embed_tokens" ? $"layers.{layer}.{tensor}" : tensor, OperandRole.Weight, false, elements);

        private static Operand Activation(string tensor, Affine elements, bool output) =>
            new(tensor, OperandRole.Activation, output, elements);

        private int Add(string name, OpKind kind, GemmShape? gemm, Affine elements, List<Operand> operands, int[] dependsOn)
        {
            int id = firstId + ops.Count;
            ops.Add(new TraceOp(id, layer >= 0 ? $"layers.{layer}.{name}" : name, kind, layer, phase, gemm,
                gemm is null ? elements : default, operands, dependsOn));
            return id;
        }
    }
}
