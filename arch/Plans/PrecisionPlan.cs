using System.Text.Json.Serialization;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Plans;

/// <summary>
/// A per-layer precision schedule: which weight datatype each linear op of a model runs with on an accelerator.
/// The bit-allocation optimizer writes it; the simulator and the RTL exporter read it. Ops are named as the tracer
/// names them within a layer (q_proj, k_proj, …, down_proj, fc1, fc2), with layers counted from 0; ops outside the
/// decoder layers (lm_head) have layer <see cref="OutsideLayers"/>.
/// </summary>
public sealed record PrecisionPlan(
    string Model,
    string Arch,
    IReadOnlyList<PlanEntry> Entries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PlanProvenance? Provenance = null)
{
    /// <summary>The layer of ops outside the decoder layers, as the tracer numbers them.</summary>
    public const int OutsideLayers = -1;

    /// <summary>Whether some entry applies to one phase only.</summary>
    [JsonIgnore]
    public bool IsPerPhase => Entries.Any(e => e.Phase is not null);
}

/// <summary>
/// One linear op's choice: its layer, its op name, the weight datatype (a name of WeightDatatypes), and optionally the
/// phase it applies to (prefill or decode; absent: both).
/// </summary>
public sealed record PlanEntry(
    int Layer,
    string Op,
    string Weights,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Phase? Phase = null)
{
    /// <summary>Whether the entry covers ops of <paramref name="phase"/>.</summary>
    public bool Covers(Phase phase) => Phase is null || Phase == phase;
}

/// <summary>
/// What wrote a plan: the HwSim version and commit, and the SHA-256 of the canonical inputs it was chosen from
/// (design, workload, candidates, budgets, cost table). Recorded, never read by the simulator or the exporter.
/// </summary>
public sealed record PlanProvenance(string HwsimVersion, string HwsimCommit, string InputsSha256);
