using HwSim.Workloads.Models;

namespace HwSim.Tests.Workloads;

public class ModelTests
{
    // Parameter counts as published for each checkpoint (Hugging Face safetensors metadata / model cards).
    [Theory]
    [InlineData("llama-2-7b", 6_738_415_616L)]
    [InlineData("mistral-7b", 7_241_732_096L)]
    [InlineData("llama-3-8b", 8_030_261_248L)]
    [InlineData("phi-2", 2_779_683_840L)]
    [InlineData("gemma-2-2b", 2_614_341_888L)]
    [InlineData("opt-6.7b", 6_658_473_984L)]
    public void ParameterCountsMatchPublishedFigures(string model, long parameters) =>
        Assert.Equal(parameters, ParameterInventory.Count(ModelZoo.Get(model)));

    [Fact]
    public void EveryZooModelIsValid() =>
        Assert.All(ModelZoo.All, m => Assert.Null(m.Validate()));

    [Fact]
    public void UnknownModelNamesTheChoices()
    {
        var error = Assert.Throws<InvalidModelConfigException>(() => ModelZoo.Get("gpt-5"));
        Assert.Contains("llama-2-7b", error.Message);
    }

    private const string Llama3Config = """
        {"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":4096,"intermediate_size":14336,
         "num_attention_heads":32,"num_hidden_layers":32,"num_key_value_heads":8,"vocab_size":128256,
         "rms_norm_eps":1e-05,"rope_theta":500000.0,"tie_word_embeddings":false,"torch_dtype":"bfloat16"}
        """;

    [Fact]
    public void HuggingFaceConfigImportsLikeTheZooEntry()
    {
        var imported = HuggingFaceConfigReader.Parse(Llama3Config, "llama-3-8b");
        Assert.Equal(ModelZoo.Get("llama-3-8b"), imported);
    }

    [Fact]
    public void OptAndGemmaConfigsUseTheirFamilyKeys()
    {
        var opt = HuggingFaceConfigReader.Parse("""
            {"model_type":"opt","hidden_size":2048,"ffn_dim":8192,"num_attention_heads":32,"num_hidden_layers":24,
             "vocab_size":50272,"max_position_embeddings":2048,"word_embed_proj_dim":2048}
            """, "opt-1.3b");
        Assert.Equal(ModelZoo.Get("opt-1.3b"), opt);
        var gemma = HuggingFaceConfigReader.Parse("""
            {"model_type":"gemma2","hidden_size":2304,"intermediate_size":9216,"num_attention_heads":8,
             "num_key_value_heads":4,"head_dim":256,"num_hidden_layers":26,"vocab_size":256000}
            """, "gemma-2-2b");
        Assert.Equal(ModelZoo.Get("gemma-2-2b"), gemma);
    }

    [Fact]
    public void Qwen2ConfigHasQkvBiasesAndItsPublishedParameterCount()
    {
        // Qwen/Qwen2-7B config.json; the model card gives 7,615,616,512 parameters.
        var qwen = HuggingFaceConfigReader.Parse("""
            {"model_type":"qwen2","hidden_size":3584,"intermediate_size":18944,"num_attention_heads":28,
             "num_key_value_heads":4,"num_hidden_layers":28,"vocab_size":152064,"tie_word_embeddings":false}
            """, "qwen2-7b");
        Assert.True(qwen.QkvBias);
        Assert.Equal(7_615_616_512L, ParameterInventory.Count(qwen));
    }

    [Fact]
    public void PhiConfigImportsLikeTheZooEntry()
    {
        var phi = HuggingFaceConfigReader.Parse("""
            {"model_type":"phi","hidden_size":2560,"intermediate_size":10240,"num_attention_heads":32,
             "num_key_value_heads":32,"num_hidden_layers":32,"vocab_size":51200,"partial_rotary_factor":0.4,
             "tie_word_embeddings":false}
            """, "phi-2");
        Assert.Equal(ModelZoo.Get("phi-2"), phi);
    }

    [Theory]
    [InlineData("""{"model_type":"llama","intermediate_size":11008,"num_attention_heads":32,"num_hidden_layers":32,"vocab_size":32000}""", "'hidden_size' is missing")]
    [InlineData("""{"model_type":"llama","hidden_size":0,"intermediate_size":11008,"num_attention_heads":32,"num_hidden_layers":32,"vocab_size":32000}""", "'hidden_size' must be positive")]
    [InlineData("""{"model_type":"llama","hidden_size":-4096,"intermediate_size":11008,"num_attention_heads":32,"num_hidden_layers":32,"vocab_size":32000}""", "'hidden_size' must be positive")]
    [InlineData("""{"model_type":"llama","hidden_size":"big","intermediate_size":11008,"num_attention_heads":32,"num_hidden_layers":32,"vocab_size":32000}""", "'hidden_size' must be an integer")]
    [InlineData("""{"model_type":"llama","hidden_size":4096,"intermediate_size":11008,"num_attention_heads":32,"num_key_value_heads":5,"num_hidden_layers":32,"vocab_size":32000}""", "num_key_value_heads")]
    [InlineData("""{"model_type":"bert","hidden_size":768}""", "model_type 'bert'")]
    [InlineData("""{"model_type":"llama", "hidden_size":""", "not valid JSON")]
    [InlineData("""{"model_type":"opt","hidden_size":2048,"intermediate_size":8192,"num_attention_heads":32,"num_hidden_layers":24,"vocab_size":50272,"max_position_embeddings":2048}""", "'ffn_dim'")]
    public void MalformedConfigFailsNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<InvalidModelConfigException>(() => HuggingFaceConfigReader.Parse(json, "m", "config.json"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("config.json", error.Message);
    }
}
