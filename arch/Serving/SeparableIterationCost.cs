using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Serving;

/// <summary>
/// An iteration's cycles as the sum of three parts, each measured on the accelerator model and memoized on its own
/// shape: the body (every op but attention and the LM head) on the iteration's T tokens, the LM head (and the final
/// stores) on its S sequences, and each sequence's attention at its queries and context. This is how Orca's selective
/// batching runs a mixed batch (Yu et al., OSDI'22 Sec. 4.2): non-attention ops on the concatenated tokens,
/// attention per request. Approximations, stated: a part's cycles are taken from a probe run of that part's shape
/// (the pipeline overlap at the seams between parts is that of the probe); decodes of different context lengths are
/// priced separately and summed; and, with a grid step Q above 1, T, S and contexts off the grid points (1, Q, 2Q,
/// ...) are linearly interpolated between the two neighbouring points (attention cost is piecewise affine in the
/// context; chunks over cached context bilinearly in queries and context). Probes run the model with two layers and
/// extrapolate: the first layer once, the second for every further layer, the ops outside the layers once.
/// </summary>
public sealed class SeparableIterationCost : IIterationCost
{
    private readonly AcceleratorSpec spec;
    private readonly RunFormats formats;
    private readonly ModelConfig probeModel;
    private readonly long repeatedLayers;
    private readonly int grid;
    private readonly Dictionary<(int Tokens, Phase Phase), double> body = [];
    private readonly Dictionary<(int Sequences, Phase Phase), double> head = [];
    private readonly Dictionary<(SequenceStep Step, Phase Phase), double> attention = [];

    /// <param name="gridTokens">Q: the grid step for token counts and contexts (1: every shape measured exactly).</param>
    public SeparableIterationCost(AcceleratorSpec spec, RunFormats formats, ModelConfig model, int gridTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gridTokens, 1);
        this.spec = spec;
        this.formats = formats;
        probeModel = model.Layers > 2 ? model with { Layers = 2 } : model;
        repeatedLayers = model.Layers - probeModel.Layers;
        grid = gridTokens;
    }

    public long Simulations { get; private set; }

    public long Cycles(IReadOnlyList<SequenceStep> steps)
    {
        var phase = IterationPhase.Of(steps);
        int tokens = 0;
        foreach (var step in steps) tokens += step.Queries;
        // A batch of equal steps on the grid is probed as itself, so its parts come from one consistent run.
        if (IterationPhase.Groups(steps) is [var only] && OnGrid(only) && !head.ContainsKey((checked((int)only.Sequences), phase)))
            Probe(only, phase);
        double total = Interpolate(tokens, t => Body(t, phase)) + Interpolate(steps.Count, s => Head(s, phase));
        foreach (var step in steps) total += Attention(step, phase);
        return (long)Math.Round(total, MidpointRounding.AwayFromZero);
    }

    private bool OnGrid(AttentionGroup g) =>
        IsGridPoint(g.Sequences * g.Queries) && IsGridPoint(g.Sequences) && IsGridPoint(g.Context.Constant)
        && (g.Queries == 1 || IsGridPoint(g.Queries));

    private bool IsGridPoint(long x) => x == 1 || x % grid == 0;

    /// <summary>f at x from the grid points around it (1, Q, 2Q, ...), linearly.</summary>
    private double Interpolate(int x, Func<int, double> f)
    {
        if (IsGridPoint(x)) return f(x);
        int lo = Math.Max(1, x / grid * grid), hi = (x / grid + 1) * grid;
        double a = f(lo), b = f(hi);
        return a + (b - a) * (x - lo) / (hi - lo);
    }

    private double Body(int tokens, Phase phase)
    {
        if (!body.TryGetValue((tokens, phase), out double cycles))
        {
            // Decode bodies are probed as decodes of that many sequences, prefill bodies as one prompt of that length.
            Probe(phase == Phase.Decode ? new AttentionGroup(tokens, 1, new Affine(1), true) : new AttentionGroup(1, tokens, new Affine(tokens), false), phase);
            cycles = body[(tokens, phase)];
        }
        return cycles;
    }

    private double Head(int sequences, Phase phase)
    {
        if (!head.TryGetValue((sequences, phase), out double cycles))
        {
            Probe(new AttentionGroup(sequences, 1, new Affine(1), true), phase);
            cycles = head[(sequences, phase)];
        }
        return cycles;
    }

    /// <summary>
    /// One sequence's attention: steps over cached context interpolated over the context (decodes) or bilinearly over
    /// queries and context (later chunks), whole prompts along prompt = context.
    /// </summary>
    private double Attention(SequenceStep step, Phase phase)
    {
        if (step.Cached)
            return Interpolate(step.Queries, q => Interpolate(step.Context, c => AttentionAt(new SequenceStep(q, Math.Max(c, q), true), phase)));
        return Interpolate(step.Queries, q => AttentionAt(new SequenceStep(q, q, false), phase));
    }

    private double AttentionAt(SequenceStep step, Phase phase)
    {
        if (!attention.TryGetValue((step, phase), out double cycles))
        {
            Probe(new AttentionGroup(1, step.Queries, new Affine(step.Context), step.Cached), phase);
            cycles = attention[(step, phase)];
        }
        return cycles;
    }

    /// <summary>Runs one probe and records every part it measured that is not known yet.</summary>
    private void Probe(AttentionGroup group, Phase phase)
    {
        Simulations++;
        var run = FastSimulator.Run(spec, LlmTracer.TraceIteration(probeModel, [group], phase), formats);
        double bodyCycles = 0, headCycles = run.TotalCycles, attentionCycles = 0;
        foreach (var op in run.Ops)
        {
            double cycles = op.Cycles * (op.Op.Layer == 1 ? 1 + repeatedLayers : 1);
            headCycles -= op.Cycles;
            if (op.Op.Kind is OpKind.AttentionScores or OpKind.Softmax or OpKind.AttentionContext) attentionCycles += cycles;
            else if (op.Op.Layer < 0 && op.Op.LocalName == "lm_head") headCycles += cycles;
            else bodyCycles += cycles;
        }
        // headCycles now holds the LM head plus the final stores after the last op (total − Σ op cycles).
        int tokens = checked((int)(group.Sequences * group.Queries)), sequences = checked((int)group.Sequences);
        body.TryAdd((tokens, phase), bodyCycles);
        head.TryAdd((sequences, phase), headCycles);
        attention.TryAdd((new SequenceStep(checked((int)group.Queries), checked((int)group.Context.Constant), group.CachedContext), phase),
            attentionCycles / group.Sequences);
    }
}
