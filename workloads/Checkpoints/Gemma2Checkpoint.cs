using HwSim.Workloads.Models;

namespace HwSim.Workloads.Checkpoints;

/// <summary>
/// Gemma-2 checkpoints (Gemma Team 2024; transformers' modeling_gemma2): RMSNorm with weight 1 + w before and after
/// both attention and FFN, embeddings scaled by √hidden_size, GELU(tanh)-gated FFN, scores scaled by
/// query_pre_attn_scalar^−½ and soft-capped (attn_logit_softcapping), a sliding window on the even layers, soft-capped
/// logits (final_logit_softcapping), tied LM head.
/// </summary>
public sealed class Gemma2Checkpoint : ICheckpointFamily
{
    public ModelFamily Family => ModelFamily.Gemma2;

    public CheckpointNameMap Names { get; } = new(
        "model.embed_tokens", null, "model.norm", "lm_head", "model.layers.{0}.",
        new Dictionary<string, string>
        {
            ["q_proj"] = "self_attn.q_proj", ["k_proj"] = "self_attn.k_proj", ["v_proj"] = "self_attn.v_proj", ["o_proj"] = "self_attn.o_proj",
            ["gate_proj"] = "mlp.gate_proj", ["up_proj"] = "mlp.up_proj", ["down_proj"] = "mlp.down_proj",
        },
        new Dictionary<string, string>
        {
            ["input_layernorm"] = "input_layernorm", ["post_attention_layernorm"] = "post_attention_layernorm",
            ["pre_feedforward_layernorm"] = "pre_feedforward_layernorm", ["post_feedforward_layernorm"] = "post_feedforward_layernorm",
        });

    public ForwardSpec Read(ModelConfig shape, ConfigFields config)
    {
        double scalar = config.Double("query_pre_attn_scalar", 256);
        if (!(scalar > 0)) throw config.Fail("query_pre_attn_scalar", "must be positive");
        return new ForwardSpec
        {
            Shape = shape,
            Names = Names,
            Norm = new NormSpec(NormKind.Rms, config.Double("rms_norm_eps", 1e-6), UnitOffset: true),
            Layout = BlockLayout.Sandwich,
            Activation = config.OptionalString("hidden_activation") ?? config.OptionalString("hidden_act") ?? "gelu_pytorch_tanh",
            RopeInverseFrequencies = RotaryEmbedding.InverseFrequencies(shape.RotaryDim, config),
            BiasedLinears = config.Bool("attention_bias", false) ? new HashSet<string>(["q_proj", "k_proj", "v_proj", "o_proj"]) : new HashSet<string>(),
            AttentionScale = 1 / Math.Sqrt(scalar),
            // Absent: Gemma2Config's defaults (50, 30); written as null: no cap.
            AttentionSoftcap = config.Present("attn_logit_softcapping") ? config.OptionalDouble("attn_logit_softcapping") : 50,
            FinalSoftcap = config.Present("final_logit_softcapping") ? config.OptionalDouble("final_logit_softcapping") : 30,
            SlidingWindow = config.OptionalInt("sliding_window") ?? 4096,
            SlidingWindowPeriod = 2,
            EmbeddingScale = Math.Sqrt(shape.HiddenSize),
        };
    }
}
