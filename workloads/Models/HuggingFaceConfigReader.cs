using System.Text.Json;
using HwSim.Numerics.IO;

namespace HwSim.Workloads.Models;

/// <summary>
/// Reads a Hugging Face config.json offline (model_type llama, mistral, qwen2, yi, opt, phi, gemma2). Errors name
/// the file and the field.
/// </summary>
public static class HuggingFaceConfigReader
{
    public static ModelConfig ReadFile(string path)
    {
        string text;
        try
        {
            text = BoundedFile.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidModelConfigException($"{path}: cannot read ({e.Message})");
        }
        return Parse(text, Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "model", path);
    }

    public static ModelConfig Parse(string json, string name, string source = "config.json")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            string line = e.LineNumber is { } number ? $" (line {number + 1})" : "";
            throw new InvalidModelConfigException($"{source}: not valid JSON{line}: {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidModelConfigException($"{source}: top level must be a JSON object");
            var fields = new Fields(root, source);
            var modelType = fields.String("model_type");
            var family = modelType switch
            {
                "llama" or "mistral" or "qwen2" or "yi" => ModelFamily.Llama,
                "opt" => ModelFamily.Opt,
                "phi" => ModelFamily.Phi,
                "gemma2" => ModelFamily.Gemma2,
                _ => throw new InvalidModelConfigException(
                    $"{source}: model_type '{modelType}' is not supported (llama, mistral, qwen2, yi, opt, phi, gemma2)"),
            };
            int hidden = fields.Int("hidden_size");
            int heads = fields.Int("num_attention_heads");
            int layers = fields.Int("num_hidden_layers");
            int ffn = family == ModelFamily.Opt ? fields.Int("ffn_dim") : fields.Int("intermediate_size");
            int headDim = fields.OptionalInt("head_dim") ?? (hidden % heads == 0 ? hidden / heads
                : throw new InvalidModelConfigException($"{source}: hidden_size {hidden} is not a multiple of num_attention_heads {heads} and head_dim is absent"));
            var config = new ModelConfig
            {
                Name = name,
                Family = family,
                HiddenSize = hidden,
                Layers = layers,
                Heads = heads,
                KvHeads = fields.OptionalInt("num_key_value_heads") ?? heads,
                HeadDim = headDim,
                IntermediateSize = ffn,
                VocabSize = fields.Int("vocab_size"),
                TieWordEmbeddings = fields.OptionalBool("tie_word_embeddings") ?? family is ModelFamily.Opt or ModelFamily.Gemma2,
                QkvBias = family is ModelFamily.Opt or ModelFamily.Phi || modelType == "qwen2",
                RotaryFraction = family switch
                {
                    ModelFamily.Opt => 0,
                    ModelFamily.Phi => fields.OptionalDouble("partial_rotary_factor") ?? 0.5,
                    _ => 1,
                },
                LearnedPositions = family == ModelFamily.Opt ? (int)Math.Min((long)fields.Int("max_position_embeddings") + 2, int.MaxValue) : 0,
            };
            return config.Validate() is { } problem ? throw new InvalidModelConfigException($"{source}: {problem}") : config;
        }
    }

    private readonly struct Fields(JsonElement root, string source)
    {
        public string String(string key) =>
            root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw Missing(key, "a string");

        public int Int(string key) => OptionalInt(key) ?? throw Missing(key, "an integer");

        public int? OptionalInt(string key)
        {
            if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
                throw new InvalidModelConfigException($"{source}: '{key}' must be an integer (got {value.GetRawText()})");
            if (number <= 0) throw new InvalidModelConfigException($"{source}: '{key}' must be positive (got {number})");
            return number;
        }

        public double? OptionalDouble(string key) =>
            !root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
            : throw new InvalidModelConfigException($"{source}: '{key}' must be a number (got {value.GetRawText()})");

        public bool? OptionalBool(string key) =>
            !root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
            : throw new InvalidModelConfigException($"{source}: '{key}' must be true or false (got {value.GetRawText()})");

        private InvalidModelConfigException Missing(string key, string what) =>
            new($"{source}: '{key}' is missing or not {what}");
    }
}
