using HwSim.Workloads.Models;

namespace HwSim.Workloads.Checkpoints;

/// <summary>
/// OPT checkpoints (Zhang et al. 2022; transformers' modeling_opt): learned positions looked up at position + 2,
/// pre-LayerNorm (do_layer_norm_before), biases on every linear layer, fc1/fc2 with ReLU, tied LM head. OPT-350m's
/// post-norm layout and its word_embed_proj_dim projections are rejected.
/// </summary>
public sealed class OptCheckpoint : ICheckpointFamily
{
    /// <summary>OPT's learned positional embedding offset (transformers' OPTLearnedPositionalEmbedding.offset).</summary>
    public const int PositionOffset = 2;

    /// <summary>OPT's LayerNorm ε: PyTorch's nn.LayerNorm default, which modeling_opt does not override.</summary>
    public const double LayerNormEpsilon = 1e-5;

    public ModelFamily Family => ModelFamily.Opt;

    public CheckpointNameMap Names { get; } = new(
        "model.decoder.embed_tokens", "model.decoder.embed_positions", "model.decoder.final_layer_norm", "lm_head", "model.decoder.layers.{0}.",
        new Dictionary<string, string>
        {
            ["q_proj"] = "self_attn.q_proj", ["k_proj"] = "self_attn.k_proj", ["v_proj"] = "self_attn.v_proj", ["o_proj"] = "self_attn.out_proj",
            ["fc1"] = "fc1", ["fc2"] = "fc2",
        },
        new Dictionary<string, string> { ["input_layernorm"] = "self_attn_layer_norm", ["final_layer_norm"] = "final_layer_norm" });

    public ForwardSpec Read(ModelConfig shape, ConfigFields config)
    {
        if (!config.Bool("do_layer_norm_before", true)) throw config.Fail("do_layer_norm_before", "post-norm OPT (OPT-350m) is not supported");
        if (config.OptionalInt("word_embed_proj_dim") is { } projected && projected != shape.HiddenSize)
            throw config.Fail("word_embed_proj_dim", $"{projected} differs from hidden_size {shape.HiddenSize}; the project_in/project_out layers are not supported");
        if (!config.Bool("layer_norm_elementwise_affine", true)) throw config.Fail("layer_norm_elementwise_affine", "must be true");
        if (!config.Bool("enable_bias", true)) throw config.Fail("enable_bias", "must be true");
        return new ForwardSpec
        {
            Shape = shape,
            Names = Names,
            Norm = new NormSpec(NormKind.Layer, LayerNormEpsilon),
            Layout = BlockLayout.Sequential,
            Activation = config.OptionalString("activation_function") ?? "relu",
            RopeInverseFrequencies = [],
            PositionOffset = PositionOffset,
            BiasedLinears = new HashSet<string>(Names.Linears.Keys, StringComparer.Ordinal),
            AttentionScale = 1 / Math.Sqrt(shape.HeadDim),
        };
    }
}
