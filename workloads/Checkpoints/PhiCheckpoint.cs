using HwSim.Workloads.Models;

namespace HwSim.Workloads.Checkpoints;

/// <summary>
/// Phi-1/1.5/2 checkpoints (transformers' modeling_phi): one LayerNorm feeding attention and MLP in parallel,
/// RoPE on the first partial_rotary_factor of each head, q/k/v/dense and fc1/fc2 with biases, gelu_new, an LM head
/// with a bias. The optional q/k LayerNorms (qk_layernorm) are rejected.
/// </summary>
public sealed class PhiCheckpoint : ICheckpointFamily
{
    public ModelFamily Family => ModelFamily.Phi;

    public CheckpointNameMap Names { get; } = new(
        "model.embed_tokens", null, "model.final_layernorm", "lm_head", "model.layers.{0}.",
        new Dictionary<string, string>
        {
            ["q_proj"] = "self_attn.q_proj", ["k_proj"] = "self_attn.k_proj", ["v_proj"] = "self_attn.v_proj", ["o_proj"] = "self_attn.dense",
            ["fc1"] = "mlp.fc1", ["fc2"] = "mlp.fc2",
        },
        new Dictionary<string, string> { ["input_layernorm"] = "input_layernorm" });

    public ForwardSpec Read(ModelConfig shape, ConfigFields config)
    {
        if (config.Bool("qk_layernorm", false)) throw config.Fail("qk_layernorm", "q/k LayerNorms are not supported");
        return new ForwardSpec
        {
            Shape = shape,
            Names = Names,
            Norm = new NormSpec(NormKind.Layer, config.Double("layer_norm_eps", 1e-5)),
            Layout = BlockLayout.Parallel,
            Activation = config.OptionalString("hidden_act") ?? "gelu_new",
            RopeInverseFrequencies = RotaryEmbedding.InverseFrequencies(shape.RotaryDim, config),
            BiasedLinears = new HashSet<string>(Names.Linears.Keys, StringComparer.Ordinal),
            LmHeadBias = true,
            AttentionScale = 1 / Math.Sqrt(shape.HeadDim),
        };
    }
}
