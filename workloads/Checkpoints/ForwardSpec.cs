using HwSim.Workloads.Models;

namespace HwSim.Workloads.Checkpoints;

public enum NormKind
{
    /// <summary>x / sqrt(mean(x²) + ε) · w (Zhang and Sennrich 2019).</summary>
    Rms,

    /// <summary>(x − mean) / sqrt(var + ε) · w + b (Ba et al. 2016).</summary>
    Layer,
}

/// <summary>A norm: its kind, ε, and whether the stored weight is an offset from 1 (Gemma's RMSNorm multiplies by 1 + w).</summary>
public sealed record NormSpec(NormKind Kind, double Epsilon, bool UnitOffset = false);

/// <summary>How a decoder layer joins attention, FFN and the residual stream.</summary>
public enum BlockLayout
{
    /// <summary>h += attn(norm₁(h)); h += ffn(norm₂(h)) (LLaMA, OPT with do_layer_norm_before).</summary>
    Sequential,

    /// <summary>h += attn(norm(h)) + ffn(norm(h)) with one shared norm (Phi-2, GPT-J style).</summary>
    Parallel,

    /// <summary>h += norm₂(attn(norm₁(h))); h += norm₄(ffn(norm₃(h))) (Gemma-2).</summary>
    Sandwich,
}

/// <summary>
/// Everything the CPU forward pass needs beyond the shape: tensor names, norms, positions, activation, biases,
/// attention scale and the Gemma-2 extras. Read from config.json by the model's <see cref="ICheckpointFamily"/>.
/// </summary>
public sealed record ForwardSpec
{
    public required ModelConfig Shape { get; init; }
    public required CheckpointNameMap Names { get; init; }
    public required NormSpec Norm { get; init; }
    public required BlockLayout Layout { get; init; }

    /// <summary>Hugging Face activation name of the FFN (silu, gelu, gelu_new, gelu_pytorch_tanh, relu).</summary>
    public required string Activation { get; init; }

    /// <summary>RoPE inverse frequencies, one per rotated pair (rotary dim / 2); empty for learned positions.</summary>
    public required IReadOnlyList<double> RopeInverseFrequencies { get; init; }

    /// <summary>Learned positions are looked up at position + this offset (OPT: 2, a fairseq legacy).</summary>
    public int PositionOffset { get; init; }

    /// <summary>Linear ops (tracer names) that have a bias.</summary>
    public required IReadOnlySet<string> BiasedLinears { get; init; }

    public bool LmHeadBias { get; init; }

    /// <summary>Multiplier of q·k (1/√head_dim, or Gemma-2's query_pre_attn_scalar^−½).</summary>
    public required double AttentionScale { get; init; }

    /// <summary>Gemma-2: scores become c·tanh(s/c) before the mask.</summary>
    public double? AttentionSoftcap { get; init; }

    /// <summary>Gemma-2: logits become c·tanh(z/c).</summary>
    public double? FinalSoftcap { get; init; }

    /// <summary>Keys further back than this many positions are masked, on the layers <see cref="IsSliding"/> selects.</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>Every how many layers, from layer 0, the sliding window applies (Mistral: 1; Gemma-2: 2, the even layers).</summary>
    public int SlidingWindowPeriod { get; init; } = 1;

    /// <summary>Token embeddings are multiplied by this (Gemma-2: √hidden_size).</summary>
    public double EmbeddingScale { get; init; } = 1;

    /// <summary>The LM head reuses the token embedding matrix.</summary>
    public bool TiedLmHead => Shape.TieWordEmbeddings;

    public bool IsSliding(int layer) => SlidingWindow is not null && layer % SlidingWindowPeriod == 0;

    /// <summary>The linear ops of one decoder layer with their [out, in] shapes, in the order the layer runs them.</summary>
    public IReadOnlyList<(string Op, int Out, int In)> LayerLinears()
    {
        var s = Shape;
        List<(string, int, int)> ops = [("q_proj", s.QueryWidth, s.HiddenSize), ("k_proj", s.KvWidth, s.HiddenSize), ("v_proj", s.KvWidth, s.HiddenSize),
            ("o_proj", s.HiddenSize, s.QueryWidth)];
        if (s.Ffn == FfnKind.Gated)
            ops.AddRange([("gate_proj", s.IntermediateSize, s.HiddenSize), ("up_proj", s.IntermediateSize, s.HiddenSize), ("down_proj", s.HiddenSize, s.IntermediateSize)]);
        else ops.AddRange([("fc1", s.IntermediateSize, s.HiddenSize), ("fc2", s.HiddenSize, s.IntermediateSize)]);
        return ops;
    }
}
