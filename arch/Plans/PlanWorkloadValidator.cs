using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Plans;

/// <summary>
/// Checks a precision plan against the workload it is run on: it must be made for the workload's model, and every
/// entry must name a linear op with weights that the traced model has (a layer it has, an op of that layer).
/// </summary>
public static class PlanWorkloadValidator
{
    /// <summary>The first problem as "model: reason" or "entries[i].field: reason", or null.</summary>
    public static string? Validate(PrecisionPlan plan, Workload workload)
    {
        string model = workload.Model?.Name ?? workload.Name;
        if (plan.Model != model) return $"model: the plan is for '{plan.Model}', the workload is '{model}'";
        var ops = new Dictionary<int, List<string>>();
        foreach (var op in workload.AllOps.Where(IsPlannable))
            if (!(ops.TryGetValue(op.Layer, out var names) ? names : ops[op.Layer] = []).Contains(op.LocalName))
                ops[op.Layer].Add(op.LocalName);
        for (int i = 0; i < plan.Entries.Count; i++)
        {
            var entry = plan.Entries[i];
            if (!ops.TryGetValue(entry.Layer, out var names))
                return $"entries[{i}].layer: {model} has no layer {entry.Layer} (layers 0 .. {ops.Keys.Where(l => l >= 0).DefaultIfEmpty(-1).Max()}, {PrecisionPlan.OutsideLayers} for ops outside them)";
            if (!names.Contains(entry.Op))
                return $"entries[{i}].op: layer {entry.Layer} of {model} has no linear op '{entry.Op}' ({string.Join(", ", names)})";
        }
        return null;
    }

    /// <summary>The ops a plan may name: GEMMs with stored weights (the linear layers and lm_head).</summary>
    public static bool IsPlannable(TraceOp op) => op.Kind == OpKind.Linear && op.Gemm is not null && op.WeightElements > 0;
}
