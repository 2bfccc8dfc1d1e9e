using System.Text.Json;

namespace HwSim.Workloads.Checkpoints;

/// <summary>Typed reads of a config.json's fields; every error is "config.json: 'field': reason".</summary>
public sealed class ConfigFields(JsonElement root, string source)
{
    public string Source => source;

    public static ConfigFields Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return new ConfigFields(document.RootElement.Clone(), source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1})");
        }
    }

    /// <summary>Whether the key is written at all (possibly as null, which some fields use to switch a feature off).</summary>
    public bool Present(string key) => root.TryGetProperty(key, out _);

    public bool Has(string key) => root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    public double Double(string key, double fallback) =>
        !Has(key) ? fallback
        : root.GetProperty(key) is { ValueKind: JsonValueKind.Number } value && double.IsFinite(value.GetDouble()) ? value.GetDouble()
        : throw Fail(key, "must be a finite number");

    public double? OptionalDouble(string key) => Has(key) ? Double(key, 0) : null;

    public int? OptionalInt(string key) =>
        !Has(key) ? null
        : root.GetProperty(key) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out int number) ? number
        : throw Fail(key, "must be an integer");

    public bool Bool(string key, bool fallback) =>
        !Has(key) ? fallback
        : root.GetProperty(key).ValueKind is JsonValueKind.True or JsonValueKind.False ? root.GetProperty(key).GetBoolean()
        : throw Fail(key, "must be true or false");

    public string? OptionalString(string key) =>
        !Has(key) ? null
        : root.GetProperty(key) is { ValueKind: JsonValueKind.String } value ? value.GetString()
        : throw Fail(key, "must be a string");

    /// <summary>The fields of the object under <paramref name="key"/>, or null when absent.</summary>
    public ConfigFields? Object(string key) =>
        !Has(key) ? null
        : root.GetProperty(key) is { ValueKind: JsonValueKind.Object } value ? new ConfigFields(value, $"{source}: '{key}'")
        : throw Fail(key, "must be an object");

    public InvalidDataException Fail(string key, string reason) => new($"{source}: '{key}': {reason}");
}
