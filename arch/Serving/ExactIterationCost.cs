using System.Text;
using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Serving;

/// <summary>
/// Each distinct batch composition run through <see cref="FastSimulator"/> as one whole-model pass
/// (<see cref="LlmTracer.TraceIteration"/>), memoized on the exact composition. Exact, but every new composition
/// costs a full model run: for short or lightly loaded runs and for checking <see cref="SeparableIterationCost"/>.
/// </summary>
public sealed class ExactIterationCost(AcceleratorSpec spec, RunFormats formats, ModelConfig model) : IIterationCost
{
    private readonly Dictionary<string, long> memo = new(StringComparer.Ordinal);

    public long Simulations { get; private set; }

    public long Cycles(IReadOnlyList<SequenceStep> steps)
    {
        var phase = IterationPhase.Of(steps);
        var groups = IterationPhase.Groups(steps);
        var key = new StringBuilder(phase.ToString());
        foreach (var g in groups) key.Append('|').Append(g.Sequences).Append('x').Append(g.Queries).Append('/').Append(g.Context.Constant).Append(g.CachedContext ? 'c' : 'f');
        string text = key.ToString();
        if (memo.TryGetValue(text, out long cycles)) return cycles;
        Simulations++;
        cycles = FastSimulator.Run(spec, LlmTracer.TraceIteration(model, groups, phase), formats).TotalCycles;
        memo[text] = cycles;
        return cycles;
    }
}
