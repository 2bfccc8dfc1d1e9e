namespace HwSim.Workloads.Models;

/// <summary>
/// Built-in model shapes, each taken from the model's public Hugging Face config.json (repository named per entry).
/// </summary>
public static class ModelZoo
{
    private static ModelConfig Llama(string name, int hidden, int layers, int heads, int kvHeads, int ffn, int vocab) => new()
    {
        Name = name, Family = ModelFamily.Llama, HiddenSize = hidden, Layers = layers, Heads = heads, KvHeads = kvHeads,
        HeadDim = hidden / heads, IntermediateSize = ffn, VocabSize = vocab, TieWordEmbeddings = false,
    };

    // OPT: learned positions have max_position_embeddings (2048) + 2 rows (HF OPTLearnedPositionalEmbedding offset).
    private static ModelConfig Opt(string name, int hidden, int layers, int heads, int ffn) => new()
    {
        Name = name, Family = ModelFamily.Opt, HiddenSize = hidden, Layers = layers, Heads = heads, KvHeads = heads,
        HeadDim = hidden / heads, IntermediateSize = ffn, VocabSize = 50272, TieWordEmbeddings = true,
        QkvBias = true, RotaryFraction = 0, LearnedPositions = 2048 + 2,
    };

    private static ModelConfig Gemma2(string name, int hidden, int layers, int heads, int kvHeads, int ffn) => new()
    {
        Name = name, Family = ModelFamily.Gemma2, HiddenSize = hidden, Layers = layers, Heads = heads, KvHeads = kvHeads,
        HeadDim = 256, IntermediateSize = ffn, VocabSize = 256000, TieWordEmbeddings = true,
    };

    public static IReadOnlyList<ModelConfig> All { get; } =
    [
        Opt("opt-1.3b", 2048, 24, 32, 8192),                          // facebook/opt-1.3b
        Opt("opt-6.7b", 4096, 32, 32, 16384),                         // facebook/opt-6.7b
        new()                                                         // microsoft/phi-2
        {
            Name = "phi-2", Family = ModelFamily.Phi, HiddenSize = 2560, Layers = 32, Heads = 32, KvHeads = 32,
            HeadDim = 80, IntermediateSize = 10240, VocabSize = 51200, TieWordEmbeddings = false, QkvBias = true,
            RotaryFraction = 0.4,
        },
        Llama("yi-6b", 4096, 32, 32, 4, 11008, 64000),                // 01-ai/Yi-6B
        Llama("llama-2-7b", 4096, 32, 32, 32, 11008, 32000),          // meta-llama/Llama-2-7b-hf
        Llama("llama-2-13b", 5120, 40, 40, 40, 13824, 32000),         // meta-llama/Llama-2-13b-hf
        Llama("llama-2-70b", 8192, 80, 64, 8, 28672, 32000),          // meta-llama/Llama-2-70b-hf
        Llama("llama-3-8b", 4096, 32, 32, 8, 14336, 128256),          // meta-llama/Meta-Llama-3-8B
        Llama("llama-3-70b", 8192, 80, 64, 8, 28672, 128256),         // meta-llama/Meta-Llama-3-70B
        Llama("mistral-7b", 4096, 32, 32, 8, 14336, 32000),           // mistralai/Mistral-7B-v0.1
        Gemma2("gemma-2-2b", 2304, 26, 8, 4, 9216),                   // google/gemma-2-2b
        Gemma2("gemma-2-9b", 3584, 42, 16, 8, 14336),                 // google/gemma-2-9b
    ];

    public static ModelConfig Get(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidModelConfigException(
            $"unknown model '{name}'; built-in models: {string.Join(", ", All.Select(m => m.Name))}");
}
