namespace HwSim.Workloads.Checkpoints;

/// <summary>
/// Where a family's Hugging Face checkpoint keeps each weight. Linear ops and norms are keyed by the names the tracer
/// and precision plans use (q_proj, o_proj, fc1, input_layernorm, …); the values are paths inside one decoder layer
/// without the ".weight"/".bias" suffix. Outside the layers: token (and learned position) embeddings, the final norm
/// and the LM head.
/// </summary>
public sealed record CheckpointNameMap(
    string Embedding,
    string? Positions,
    string FinalNorm,
    string LmHead,
    string LayerPrefix,
    IReadOnlyDictionary<string, string> Linears,
    IReadOnlyDictionary<string, string> Norms)
{
    /// <summary>The op name plans give the LM head (layer −1).</summary>
    public const string LmHeadOp = "lm_head";

    /// <summary>The tensor-name prefix of decoder layer <paramref name="layer"/> ("model.layers.3.").</summary>
    public string Layer(int layer) => string.Format(System.Globalization.CultureInfo.InvariantCulture, LayerPrefix, layer);

    /// <summary>The prefix of linear op <paramref name="op"/> of <paramref name="layer"/> (−1 and lm_head: the LM head).</summary>
    public string Linear(int layer, string op) =>
        layer < 0 ? op == LmHeadOp ? LmHead : throw new KeyNotFoundException($"no linear op '{op}' outside the decoder layers (only {LmHeadOp})")
        : Linears.TryGetValue(op, out string? path) ? Layer(layer) + path
        : throw new KeyNotFoundException($"no linear op '{op}' in a decoder layer (has {string.Join(", ", Linears.Keys)})");

    public string Norm(int layer, string norm) => Layer(layer) + Norms[norm];
}
