using System.Text.Json;
using System.Text.Json.Serialization;

namespace HwSim.Arch.Spec;

/// <summary>
/// Accelerator descriptions as JSON (camelCase fields, enums as camelCase strings). Loading rejects unknown fields,
/// missing required fields and invalid values with one message naming the field.
/// </summary>
public static class AcceleratorSpecJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static string Write(AcceleratorSpec spec) => JsonSerializer.Serialize(spec, Options) + "\n";

    /// <summary>Parses and validates; throws <see cref="InvalidDataException"/> with "source: field: reason".</summary>
    public static AcceleratorSpec Read(string json, string source = "accelerator.json")
    {
        AcceleratorSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<AcceleratorSpec>(json, Options);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $"{e.Path.TrimStart('$', '.')}: ";
            throw new InvalidDataException($"{source}: {field}{FirstSentence(e.Message)}");
        }
        if (spec is null) throw new InvalidDataException($"{source}: the file holds JSON null, not an accelerator");
        if (AcceleratorSpecValidator.Validate(spec) is { } problem) throw new InvalidDataException($"{source}: {problem}");
        return spec;
    }

    public static AcceleratorSpec Load(string path) => Read(File.ReadAllText(path), Path.GetFileName(path));

    // System.Text.Json appends "Path: … | LineNumber: …" to its messages; the field is already in front.
    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
