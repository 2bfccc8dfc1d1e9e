namespace HwSim.Workloads.Models;

/// <summary>A weight tensor of a model: its name as in the Hugging Face checkpoint (shortened) and element count.</summary>
public sealed record WeightTensor(string Name, int Layer, long Elements);

/// <summary>
/// Every weight tensor of a model, following each family's Hugging Face modeling code: linear weights (and biases
/// where the family has them), norm weights (LayerNorm also has a bias), embeddings, learned positions and the LM head
/// unless tied to the embedding.
/// </summary>
public static class ParameterInventory
{
    public static IReadOnlyList<WeightTensor> Of(ModelConfig model)
    {
        model.Validated();
        long h = model.HiddenSize, i = model.IntermediateSize, q = model.QueryWidth, kv = model.KvWidth;
        bool layerNorm = model.Family is ModelFamily.Opt or ModelFamily.Phi;
        long norm = layerNorm ? 2 * h : h;
        var tensors = new List<WeightTensor> { new("embed_tokens", -1, model.VocabSize * h) };
        if (model.LearnedPositions > 0) tensors.Add(new("embed_positions", -1, model.LearnedPositions * h));
        for (int layer = 0; layer < model.Layers; layer++)
        {
            void Add(string name, long elements) => tensors.Add(new($"layers.{layer}.{name}", layer, elements));
            long Bias(long width, bool present) => present ? width : 0;
            Add("input_layernorm", norm);
            Add("q_proj", q * h + Bias(q, model.QkvBias));
            Add("k_proj", kv * h + Bias(kv, model.QkvBias));
            Add("v_proj", kv * h + Bias(kv, model.QkvBias));
            Add("o_proj", h * q + Bias(h, model.LinearBiases));
            switch (model.Family)
            {
                case ModelFamily.Llama:
                    Add("post_attention_layernorm", norm);
                    break;
                case ModelFamily.Gemma2:
                    Add("post_attention_layernorm", norm);
                    Add("pre_feedforward_layernorm", norm);
                    Add("post_feedforward_layernorm", norm);
                    break;
                case ModelFamily.Opt:
                    Add("final_layer_norm", norm);
                    break;
            }
            if (model.Ffn == FfnKind.Gated)
            {
                Add("gate_proj", i * h);
                Add("up_proj", i * h);
                Add("down_proj", h * i);
            }
            else
            {
                Add("fc1", i * h + i);
                Add("fc2", h * i + h);
            }
        }
        tensors.Add(new("norm", -1, norm));
        if (!model.TieWordEmbeddings)
            tensors.Add(new("lm_head", -1, model.VocabSize * h + (model.Family == ModelFamily.Phi ? model.VocabSize : 0)));
        return tensors;
    }

    public static long Count(ModelConfig model) => Of(model).Sum(t => t.Elements);
}
