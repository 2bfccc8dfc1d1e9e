using HwSim.Workloads.Models;

namespace HwSim.Workloads.Checkpoints;

/// <summary>
/// LLaMA-2/3, Mistral, Qwen2 and Yi checkpoints (transformers' modeling_llama, modeling_mistral, modeling_qwen2):
/// pre-RMSNorm, RoPE over the whole head, SiLU-gated FFN; biases on q/k/v for Qwen2 and wherever attention_bias or
/// mlp_bias say; Mistral's sliding_window on every layer.
/// </summary>
public sealed class LlamaCheckpoint : ICheckpointFamily
{
    public ModelFamily Family => ModelFamily.Llama;

    public CheckpointNameMap Names { get; } = new(
        "model.embed_tokens", null, "model.norm", "lm_head", "model.layers.{0}.",
        new Dictionary<string, string>
        {
            ["q_proj"] = "self_attn.q_proj", ["k_proj"] = "self_attn.k_proj", ["v_proj"] = "self_attn.v_proj", ["o_proj"] = "self_attn.o_proj",
            ["gate_proj"] = "mlp.gate_proj", ["up_proj"] = "mlp.up_proj", ["down_proj"] = "mlp.down_proj",
        },
        new Dictionary<string, string> { ["input_layernorm"] = "input_layernorm", ["post_attention_layernorm"] = "post_attention_layernorm" });

    public ForwardSpec Read(ModelConfig shape, ConfigFields config)
    {
        var biased = new HashSet<string>(StringComparer.Ordinal);
        if (shape.QkvBias) biased.UnionWith(["q_proj", "k_proj", "v_proj"]);
        if (config.Bool("attention_bias", false)) biased.UnionWith(["q_proj", "k_proj", "v_proj", "o_proj"]);
        if (config.Bool("mlp_bias", false)) biased.UnionWith(["gate_proj", "up_proj", "down_proj"]);
        if (config.Bool("use_sliding_window", false)) throw config.Fail("use_sliding_window", "Qwen2's per-layer sliding window is not supported");
        bool mistral = config.OptionalString("model_type") == "mistral";
        return new ForwardSpec
        {
            Shape = shape,
            Names = Names,
            Norm = new NormSpec(NormKind.Rms, config.Double("rms_norm_eps", 1e-6)),
            Layout = BlockLayout.Sequential,
            Activation = config.OptionalString("hidden_act") ?? "silu",
            RopeInverseFrequencies = RotaryEmbedding.InverseFrequencies(shape.RotaryDim, config),
            BiasedLinears = biased,
            AttentionScale = 1 / Math.Sqrt(shape.HeadDim),
            SlidingWindow = mistral ? config.OptionalInt("sliding_window") : null,
        };
    }
}
