using HwSim.Arch.Spec;
using HwSim.Numerics.IO;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Plans;

/// <summary>
/// Precision plans as JSON (<see cref="StrictJson"/> conventions). Loading rejects unknown fields, unknown datatypes,
/// phases other than prefill and decode, and (layer, op) pairs planned twice for a phase, with one message naming the
/// entry.
/// </summary>
public static class PrecisionPlanJson
{
    public static string Write(PrecisionPlan plan) => StrictJson.Write(plan);

    public static PrecisionPlan Read(string json, string source = "plan.json")
    {
        var plan = StrictJson.Read<PrecisionPlan>(json, source, "a plan");
        if (Validate(plan) is { } problem) throw new InvalidDataException($"{source}: {problem}");
        return plan;
    }

    public static PrecisionPlan Load(string path) => Read(BoundedFile.ReadAllText(path), Path.GetFileName(path));

    /// <summary>The first problem as "entries[i].field: reason", or null.</summary>
    public static string? Validate(PrecisionPlan plan)
    {
        if (plan.Entries.Count == 0) return "entries: must list at least one op";
        var seen = new HashSet<(int, string, Phase)>();
        for (int i = 0; i < plan.Entries.Count; i++)
        {
            var entry = plan.Entries[i];
            if (entry.Layer < PrecisionPlan.OutsideLayers)
                return $"entries[{i}].layer: must be a layer number or {PrecisionPlan.OutsideLayers} for ops outside the layers (got {entry.Layer})";
            if (string.IsNullOrWhiteSpace(entry.Op)) return $"entries[{i}].op: must not be empty";
            if (!WeightDatatypes.TryGet(entry.Weights, out _, out string? problem))
                return $"entries[{i}].weights: {problem}";
            if (WeightPhases.Invalid(entry.Phase, $"entries[{i}].phase") is { } invalid) return invalid;
            foreach (var covered in WeightPhases.Covered(entry.Phase))
                if (!seen.Add((entry.Layer, entry.Op, covered)))
                    return $"entries[{i}]: layer {entry.Layer} op {entry.Op} is planned twice for {covered.ToString().ToLowerInvariant()}";
        }
        return null;
    }
}
