using System.Text.Json;
using HwSim.Arch.Spec;

namespace HwSim.Arch.Plans;

/// <summary>
/// Precision plans as JSON (camelCase). Loading rejects unknown fields, unknown datatypes and repeated (layer, op)
/// pairs with one message naming the entry.
/// </summary>
public static class PrecisionPlanJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static string Write(PrecisionPlan plan) => JsonSerializer.Serialize(plan, Options) + "\n";

    public static PrecisionPlan Read(string json, string source = "plan.json")
    {
        PrecisionPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<PrecisionPlan>(json, Options);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $"{e.Path.TrimStart('$', '.')}: ";
            int cut = e.Message.IndexOf(" Path:", StringComparison.Ordinal);
            throw new InvalidDataException($"{source}: {field}{(cut > 0 ? e.Message[..cut] : e.Message).Trim()}");
        }
        if (plan is null) throw new InvalidDataException($"{source}: the file holds JSON null, not a plan");
        if (Validate(plan) is { } problem) throw new InvalidDataException($"{source}: {problem}");
        return plan;
    }

    public static PrecisionPlan Load(string path) => Read(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>The first problem as "entries[i].field: reason", or null.</summary>
    public static string? Validate(PrecisionPlan plan)
    {
        if (plan.Entries.Count == 0) return "entries: must list at least one op";
        var seen = new HashSet<(int, string)>();
        for (int i = 0; i < plan.Entries.Count; i++)
        {
            var entry = plan.Entries[i];
            if (entry.Layer < 0) return $"entries[{i}].layer: must not be negative (got {entry.Layer})";
            if (string.IsNullOrWhiteSpace(entry.Op)) return $"entries[{i}].op: must not be empty";
            if (!WeightDatatypes.TryGet(entry.Weights, out _))
                return $"entries[{i}].weights: unknown datatype '{entry.Weights}' (known: {string.Join(", ", WeightDatatypes.Names)})";
            if (!seen.Add((entry.Layer, entry.Op))) return $"entries[{i}]: layer {entry.Layer} op {entry.Op} is planned twice";
        }
        return null;
    }
}
