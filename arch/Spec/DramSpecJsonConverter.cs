using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HwSim.Arch.Memory;

namespace HwSim.Arch.Spec;

/// <summary>
/// Reads and writes <see cref="DramSpec"/> by its <c>model</c> field (first when written; "simple" when absent on
/// reading). A field the chosen model does not read is rejected, naming it: "dram.banks: not read by the 'simple'
/// DRAM model"; a field no model reads is rejected as unknown. The remaining fields follow <see cref="StrictJson"/>.
/// </summary>
public sealed class DramSpecJsonConverter : JsonConverter<DramSpec>
{
    // DramSpec appears only as AcceleratorSpec.Dram, so errors are reported under that field.
    private const string At = "$.dram";

    public override DramSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject node) throw Error("", "must be an object");
        string model = DramModels.Default;
        if (node.TryGetPropertyValue("model", out var value))
        {
            if (value is not JsonValue text || !text.TryGetValue(out string? name)) throw Error(".model", "must be a string");
            model = name;
            node.Remove("model");
        }
        var entry = DramModels.Find(model)
            ?? throw Error(".model", $"unknown DRAM model '{model}' (known: {string.Join(", ", DramModels.All.Select(e => e.Name))})");
        foreach (var (field, _) in node)
        {
            if (entry.Fields.Contains(field)) continue;
            throw DramModels.All.Any(e => e.Fields.Contains(field))
                ? Error($".{field}", $"not read by the '{model}' DRAM model")
                : Error($".{field}", $"unknown field (the '{model}' DRAM model reads {string.Join(", ", entry.Fields)})");
        }
        try
        {
            return (DramSpec)node.Deserialize(entry.SpecType, options)!;
        }
        catch (JsonException e)
        {
            string inner = e.Path is null or "$" ? "" : e.Path[1..];
            throw new JsonException(e.Message, At + inner, null, null);
        }
    }

    public override void Write(Utf8JsonWriter writer, DramSpec value, JsonSerializerOptions options)
    {
        var fields = JsonSerializer.SerializeToNode(value, value.GetType(), options)!.AsObject();
        writer.WriteStartObject();
        writer.WriteString("model", DramModels.Of(value).Name);
        foreach (var (name, field) in fields)
        {
            writer.WritePropertyName(name);
            if (field is null) writer.WriteNullValue();
            else field.WriteTo(writer, options);
        }
        writer.WriteEndObject();
    }

    private static JsonException Error(string field, string reason) => new(reason, At + field, null, null);
}
