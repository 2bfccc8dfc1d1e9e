using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Serving;

/// <summary>
/// What one sequence does in an iteration: computes <see cref="Queries"/> tokens (1 for a decode step, a prompt or
/// a chunk of it otherwise) attending over <see cref="Context"/> tokens in all; <see cref="Cached"/> when the earlier
/// ones are read from the KV cache (decodes, later chunks, recomputation after a preemption never have them fresh).
/// </summary>
public readonly record struct SequenceStep(int Queries, int Context, bool Cached)
{
    public bool IsDecode => Queries == 1 && Cached;
}

/// <summary>
/// The accelerator cycles of one serving iteration (one forward pass over a batch of sequence steps). The phase of
/// an iteration is decode when every step is a decode, prefill otherwise (it picks the weights of designs that run
/// different weights per phase).
/// </summary>
public interface IIterationCost
{
    long Cycles(IReadOnlyList<SequenceStep> steps);

    /// <summary>Accelerator runs made so far (distinct shapes simulated).</summary>
    long Simulations { get; }
}

public static class IterationPhase
{
    public static Phase Of(IReadOnlyList<SequenceStep> steps)
    {
        foreach (var step in steps)
            if (!step.IsDecode) return Phase.Prefill;
        return Phase.Decode;
    }

    /// <summary>Steps grouped by equal shape, in a canonical order, as the tracer's attention groups.</summary>
    public static List<AttentionGroup> Groups(IReadOnlyList<SequenceStep> steps) =>
        steps.GroupBy(s => s).OrderBy(g => g.Key.Queries).ThenBy(g => g.Key.Context).ThenBy(g => g.Key.Cached)
            .Select(g => new AttentionGroup(g.Count(), g.Key.Queries, new Affine(g.Key.Context), g.Key.Cached)).ToList();
}

/// <summary>A registered iteration pricing: its name, what it does, whether it takes a grid step, and how to make one.</summary>
public sealed record IterationCostKind(string Name, string Description, bool TakesGrid,
    Func<AcceleratorSpec, RunFormats, ModelConfig, int, IIterationCost> Create);

/// <summary>The iteration pricings `hwsim serve --iteration-model` can name.</summary>
public static class IterationCostModels
{
    public static readonly IReadOnlyList<IterationCostKind> All =
    [
        new("separable", "body, LM head and attention measured apart on a token grid (fast)", true,
            (spec, formats, model, grid) => new SeparableIterationCost(spec, formats, model, grid)),
        new("exact", "every batch composition run as one whole pass", false,
            (spec, formats, model, _) => new ExactIterationCost(spec, formats, model)),
    ];

    public static IterationCostKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
