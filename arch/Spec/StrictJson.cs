using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HwSim.Arch.Spec;

/// <summary>
/// The JSON conventions of HwSim's input files (accelerator descriptions, precision plans): camelCase fields, enums
/// as camelCase strings, comments and trailing commas allowed, unknown, duplicate and missing required fields rejected,
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
        // A field given twice is a mistake in the file, not an override: System.Text.Json would keep the last.
        AllowDuplicateProperties = false,
        // A model's discriminator ("kind") may stand anywhere among its fields.
        AllowOutOfOrderMetadataProperties = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NamedModels.AddPolymorphism } },
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
            throw new InvalidDataException($"{source}: {Explain(typeof(T), e.Path, FirstSentence(e.Message))}");
        }
        catch (NotSupportedException e) when (e.Message.Contains("type discriminator", StringComparison.Ordinal))
        {
            // A model family's object without its discriminator: System.Text.Json reports it as unsupported.
            string path = Between(e.Message, "Path: ", " |") ?? "$";
            throw new InvalidDataException($"{source}: {Explain(typeof(T), path, "missing type discriminator")}");
        }
    }

    /// <summary>"field: reason", with model-family errors said in the family's terms.</summary>
    private static string Explain(Type root, string? path, string reason)
    {
        string field = string.IsNullOrEmpty(path) || path == "$" ? "" : path.TrimStart('$', '.');
        if (FamilyAt(root, field) is { } family)
        {
            string known = string.Join(", ", NamedModels.Of(family).Select(m => m.Name));
            string at = $"{field}.{NamedModels.Discriminator(family)}";
            if (Between(reason, "discriminator id '", "'") is { } unknown) return $"{at}: unknown '{unknown}' (expected one of {known})";
            if (reason == "missing type discriminator") return $"{at}: missing (expected one of {known})";
        }
        if (reason.StartsWith("Duplicate property", StringComparison.Ordinal)) return $"{field}: given twice (each field may appear once)";
        if (Between(reason, "contained in type '", "'") is { } typeName && NamedModelNamed(typeName) is { } model)
            return $"{field}: not read by the '{model.Name}' model";
        return field.Length == 0 ? reason : $"{field}: {reason}";
    }

    /// <summary>The model family whose object sits at a JSON path ("pe", "buffers[0]") below <paramref name="root"/>, if any.</summary>
    private static Type? FamilyAt(Type root, string path)
    {
        if (path.Length == 0) return null;
        var type = root;
        foreach (string segment in path.Split('.'))
        {
            string name = segment.Split('[')[0];
            var property = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) return null;
            type = property.PropertyType;
            if (segment.Contains('[') && type.IsGenericType) type = type.GetGenericArguments()[0];
        }
        return type.GetCustomAttributes(typeof(ModelFamilyAttribute), false).Length > 0 ? type : null;
    }

    private static NamedModel? NamedModelNamed(string fullTypeName) =>
        typeof(StrictJson).Assembly.GetType(fullTypeName) is { } type && type.GetCustomAttributes(typeof(ModelNameAttribute), false).Length > 0
            ? NamedModels.For(type)
            : null;

    private static string? Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0) return null;
        from += start.Length;
        int to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : text[from..to];
    }

    // System.Text.Json appends "Path: … | LineNumber: …" to its messages; the field is already in front.
    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
