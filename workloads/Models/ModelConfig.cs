namespace HwSim.Workloads.Models;

/// <summary>Which block structure a decoder layer has.</summary>
public enum ModelFamily
{
    /// <summary>LLaMA, Mistral, Qwen2, Yi: pre-RMSNorm, RoPE, gated FFN, no linear biases (Qwen2: q/k/v biases).</summary>
    Llama,

    /// <summary>OPT: pre-LayerNorm with bias, learned positions (offset 2), fc1/fc2 with ReLU, linear biases.</summary>
    Opt,

    /// <summary>Phi-2: one LayerNorm feeding attention and MLP in parallel, partial RoPE, fc1/fc2 GELU, biases.</summary>
    Phi,

    /// <summary>Gemma-2: RMSNorm before and after attention and FFN, gated GELU FFN, tied embeddings.</summary>
    Gemma2,
}

public enum FfnKind
{
    /// <summary>down(act(gate(x)) · up(x)).</summary>
    Gated,

    /// <summary>fc2(act(fc1(x))).</summary>
    TwoLayer,
}

/// <summary>
/// The shape of a decoder-only LLM, as in its Hugging Face config.json. Validated at construction; every error names
/// the config field.
/// </summary>
public sealed record ModelConfig
{
    public required string Name { get; init; }
    public required ModelFamily Family { get; init; }
    public required int HiddenSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int IntermediateSize { get; init; }
    public required int VocabSize { get; init; }
    public required bool TieWordEmbeddings { get; init; }

    /// <summary>q/k/v projections carry biases (Qwen2 does; OPT and Phi have biases on every linear layer).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Fraction of the head dimension that RoPE rotates (Phi-2: 0.4); 0 for learned positions (OPT).</summary>
    public double RotaryFraction { get; init; } = 1.0;

    /// <summary>Learned position-embedding rows (OPT: max_position_embeddings + 2); 0 when positions are rotary.</summary>
    public int LearnedPositions { get; init; }

    public FfnKind Ffn => Family is ModelFamily.Opt or ModelFamily.Phi ? FfnKind.TwoLayer : FfnKind.Gated;
    public bool LinearBiases => Family is ModelFamily.Opt or ModelFamily.Phi;
    public int QueryWidth => Heads * HeadDim;
    public int KvWidth => KvHeads * HeadDim;
    public int RotaryDim => (int)Math.Round(HeadDim * RotaryFraction);

    /// <summary>
    /// Limits of the shape fields, far above every published decoder LLM (hidden 16384, FFN 53248, 128 heads of 128,
    /// 126 layers, vocabularies of 256000: shared/reference/llm_configs.md), so that widths such as heads × head_dim
    /// and per-token counts stay exact in the tracer's 32- and 64-bit integers.
    /// </summary>
    public const int MaxWidth = 1 << 20, MaxHeads = 1 << 16, MaxLayers = 1 << 12, MaxVocab = 1 << 24, MaxPositions = 1 << 24;

    /// <summary>Returns the first problem as "field: reason", or null when the shape is consistent.</summary>
    public string? Validate()
    {
        static string? Positive(string field, long value, long maximum) =>
            value < 1 ? $"{field}: must be a positive integer (got {value})"
            : value > maximum ? $"{field}: must be at most {maximum} (got {value})"
            : null;
        return Positive("hidden_size", HiddenSize, MaxWidth)
            ?? Positive("num_hidden_layers", Layers, MaxLayers)
            ?? Positive("num_attention_heads", Heads, MaxHeads)
            ?? Positive("num_key_value_heads", KvHeads, MaxHeads)
            ?? Positive("head_dim", HeadDim, MaxWidth)
            ?? Positive("num_attention_heads x head_dim", (long)Heads * HeadDim, MaxWidth)
            ?? Positive("intermediate_size", IntermediateSize, MaxWidth)
            ?? Positive("vocab_size", VocabSize, MaxVocab)
            ?? (LearnedPositions > MaxPositions ? $"max_position_embeddings: must be at most {MaxPositions} (got {LearnedPositions})" : null)
            ?? (Heads % KvHeads != 0 ? $"num_key_value_heads: {KvHeads} does not divide num_attention_heads {Heads}" : null)
            ?? (!double.IsFinite(RotaryFraction) || RotaryFraction is < 0 or > 1 ? $"partial_rotary_factor: must be in 0..1 (got {RotaryFraction})" : null)
            ?? (LearnedPositions < 0 ? $"max_position_embeddings: must not be negative (got {LearnedPositions})" : null);
    }

    public ModelConfig Validated() =>
        Validate() is { } problem ? throw new InvalidModelConfigException($"model '{Name}': {problem}") : this;
}

/// <summary>A model configuration that is missing a field or has an impossible value.</summary>
public sealed class InvalidModelConfigException(string message) : Exception(message);
