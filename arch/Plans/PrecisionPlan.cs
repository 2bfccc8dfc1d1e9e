namespace HwSim.Arch.Plans;

/// <summary>
/// A per-layer precision schedule: which weight datatype each linear op of a model runs with on an accelerator.
/// The bit-allocation optimizer writes it; the simulator and the RTL exporter read it. Ops are named as the tracer
/// names them within a layer (q_proj, k_proj, …, down_proj, fc1, fc2), with layers counted from 0; ops outside the
/// decoder layers (lm_head) have layer <see cref="OutsideLayers"/>.
/// </summary>
public sealed record PrecisionPlan(string Model, string Arch, IReadOnlyList<PlanEntry> Entries)
{
    /// <summary>The layer of ops outside the decoder layers, as the tracer numbers them.</summary>
    public const int OutsideLayers = -1;

    /// <summary>The datatype planned for (layer, op), or null when the plan does not name it.</summary>
    public string? WeightsFor(int layer, string op) =>
        Entries.FirstOrDefault(e => e.Layer == layer && e.Op == op)?.Weights;
}

/// <summary>One linear op's choice: its layer, its op name, and the weight datatype (a name of WeightDatatypes).</summary>
public sealed record PlanEntry(int Layer, string Op, string Weights);
