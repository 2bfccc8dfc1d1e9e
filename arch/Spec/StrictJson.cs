using System.Text.Json;
using System.Text.Json.Serialization;

namespace HwSim.Arch.Spec;

/// <summary>
/// The JSON conventions of HwSim's input files (accelerator descriptions, precision plans): camelCase fields, enums
/// as camelCase strings, comments and trailing commas allowed, unknown fields and missing required fields rejected,
/// and errors reduced to one line "source: field: reason".
/// </summary>
public static class StrictJson
{
    public static readonly JsonSerializerOptions Options = new()
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

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    /// <summary>Parses <paramref name="json"/>; throws <see cref="InvalidDataException"/> with "source: field: reason".</summary>
    public static T Read<T>(string json, string source, string what) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new InvalidDataException($"{source}: the file holds JSON null, not {what}");
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $"{e.Path.TrimStart('$', '.')}: ";
            throw new InvalidDataException($"{source}: {field}{FirstSentence(e.Message)}");
        }
    }

    // System.Text.Json appends "Path: … | LineNumber: …" to its messages; the field is already in front.
    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
