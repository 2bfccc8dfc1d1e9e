using HwSim.Arch.Fast;
using HwSim.Arch.Serving;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// The two iteration pricings' own rules, each against an independent number: on a two-layer model (nothing to
/// extrapolate) the separable parts of one probe add up to the whole run of that batch exactly; off the grid a price
/// lies on the straight line between the neighbouring grid points' prices; each shape is measured once (counted
/// simulations).
/// </summary>
public class IterationCostRulesTests
{
    private static readonly HwSim.Workloads.Models.ModelConfig TwoLayers = ServingTests.Tiny with { Layers = 2 };

    private static long WholeRun(SequenceStep[] steps) =>
        FastSimulator.Run(ServingTests.Spec, LlmTracer.TraceIteration(TwoLayers, IterationPhase.Groups(steps), IterationPhase.Of(steps)), ServingTests.Formats).TotalCycles;

    [Fact]
    public void OnATwoLayerModelTheSeparablePartsOfOneProbeAddUpToTheWholeRun()
    {
        // Grid 1: every batch of equal steps is probed as itself, and body + LM head + attention of that probe are
        // its total (the head part holds the rest, total − Σ op cycles).
        SequenceStep[][] batches =
        [
            [new(24, 24, false)],
            [new(1, 40, true)],
            [new(1, 17, true), new(1, 17, true), new(1, 17, true)],
            [new(8, 30, true)],
            [new(5, 5, false), new(5, 5, false)],
        ];
        foreach (var batch in batches)
        {
            var separable = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, TwoLayers, 1);
            Assert.Equal(WholeRun(batch), separable.Cycles(batch));
            Assert.Equal(1, separable.Simulations);
            Assert.Equal(WholeRun(batch), separable.Cycles(batch));
            Assert.Equal(1, separable.Simulations);
        }
    }

    /// <summary>
    /// A mixed batch is priced from three kinds of probe, by the documented split: the body (every op but attention
    /// and the LM head) of one prompt of all T tokens, the LM head of S one-token sequences plus the stores after the
    /// last op (total − Σ op cycles), and each sequence's attention probed alone. Worked out here from the four
    /// whole runs, op by op.
    /// </summary>
    [Fact]
    public void AMixedBatchIsTheBodyOfItsTokensTheHeadOfItsSequencesAndEachAttention()
    {
        static RunResult Run(long sequences, long queries, long context, bool cached) =>
            FastSimulator.Run(ServingTests.Spec, LlmTracer.TraceIteration(TwoLayers, [new AttentionGroup(sequences, queries, new Affine(context), cached)], Phase.Prefill),
                ServingTests.Formats);
        static bool IsAttention(OpResult op) => op.Op.Kind is OpKind.AttentionScores or OpKind.Softmax or OpKind.AttentionContext;
        static bool IsHead(OpResult op) => op.Op.Layer < 0 && op.Op.LocalName == "lm_head";

        var prompt = Run(1, 9, 9, false);
        long body = prompt.Ops.Where(op => !IsAttention(op) && !IsHead(op)).Sum(op => op.Cycles);
        var heads = Run(2, 1, 1, true);
        long head = heads.TotalCycles - heads.Ops.Sum(op => op.Cycles) + heads.Ops.Where(IsHead).Sum(op => op.Cycles);
        long attention = Run(1, 8, 8, false).Ops.Where(IsAttention).Sum(op => op.Cycles) + Run(1, 1, 20, true).Ops.Where(IsAttention).Sum(op => op.Cycles);
        // The parts are of different sizes, so a misfiled op would change the sum.
        Assert.NotEqual(prompt.Ops.Where(IsHead).Sum(op => op.Cycles), heads.Ops.Where(IsHead).Sum(op => op.Cycles));

        var separable = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, TwoLayers, 1);
        Assert.Equal(body + head + attention, separable.Cycles([new(8, 8, false), new(1, 20, true)]));
    }

    /// <summary>
    /// Decodes at two contexts: the body and head of two decoding sequences (one probe of two decodes) and each
    /// sequence's attention probed alone at its context, op by op from the three whole runs.
    /// </summary>
    [Fact]
    public void DecodesAtDifferentContextsShareTheBodyAndHeadOfADecodeProbe()
    {
        static RunResult Run(long sequences, long context) =>
            FastSimulator.Run(ServingTests.Spec, LlmTracer.TraceIteration(TwoLayers, [new AttentionGroup(sequences, 1, new Affine(context), true)], Phase.Decode),
                ServingTests.Formats);
        static bool IsAttention(OpResult op) => op.Op.Kind is OpKind.AttentionScores or OpKind.Softmax or OpKind.AttentionContext;

        var both = Run(2, 1);
        long bodyAndHead = both.TotalCycles - both.Ops.Where(IsAttention).Sum(op => op.Cycles);
        long attention = Run(1, 12).Ops.Where(IsAttention).Sum(op => op.Cycles) + Run(1, 20).Ops.Where(IsAttention).Sum(op => op.Cycles);
        var separable = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, TwoLayers, 1);
        Assert.Equal(bodyAndHead + attention, separable.Cycles([new(1, 12, true), new(1, 20, true)]));
    }

    /// <summary>
    /// Probes run two layers and extrapolate: a four-layer model's decode is the two-layer run with layer 1's ops
    /// counted three times; a one-layer model is probed as itself.
    /// </summary>
    [Fact]
    public void ProbesRunTwoLayersAndCountTheSecondForEveryFurtherLayer()
    {
        SequenceStep[] decode = [new(1, 12, true), new(1, 12, true)];
        var groups = IterationPhase.Groups(decode);
        var twoLayers = FastSimulator.Run(ServingTests.Spec, LlmTracer.TraceIteration(TwoLayers, groups, Phase.Decode), ServingTests.Formats);
        long extrapolated = twoLayers.TotalCycles + 2 * twoLayers.Ops.Where(op => op.Op.Layer == 1).Sum(op => op.Cycles);
        var four = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, ServingTests.Tiny, 1);
        Assert.Equal(extrapolated, four.Cycles(decode));

        var oneLayerModel = ServingTests.Tiny with { Layers = 1 };
        long oneLayer = FastSimulator.Run(ServingTests.Spec, LlmTracer.TraceIteration(oneLayerModel, groups, Phase.Decode), ServingTests.Formats).TotalCycles;
        Assert.Equal(oneLayer, new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, oneLayerModel, 1).Cycles(decode));
    }

    /// <summary>Asserts c(x) = c(lo) + (c(hi) − c(lo)) · (x − lo) / (hi − lo) within the rounding of the three prices.</summary>
    private static void OnTheLine(long atX, long atLo, long atHi, int x, int lo, int hi)
    {
        double line = atLo + (atHi - atLo) * (double)(x - lo) / (hi - lo);
        Assert.InRange(atX, line - 1, line + 1);
    }

    [Fact]
    public void OffTheGridPricesAreInterpolatedBetweenGridPoints()
    {
        // Decode at context 20 on a grid of 16: attention between contexts 16 and 32 (body and head are those of one
        // sequence in both). Once 16 and 32 are measured, 20 and 31 cost no further simulation.
        var decode = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, ServingTests.Tiny, 16);
        long c16 = decode.Cycles([new(1, 16, true)]), c32 = decode.Cycles([new(1, 32, true)]);
        Assert.Equal(2, decode.Simulations);
        Assert.True(c32 > c16, "attention grows with the context");
        OnTheLine(decode.Cycles([new(1, 20, true)]), c16, c32, 20, 16, 32);
        OnTheLine(decode.Cycles([new(1, 31, true)]), c16, c32, 31, 16, 32);
        Assert.Equal(2, decode.Simulations);
        // Between 1 (a grid point) and 16.
        long c1 = decode.Cycles([new(1, 1, true)]);
        OnTheLine(decode.Cycles([new(1, 9, true)]), c1, c16, 9, 1, 16);
        Assert.Equal(3, decode.Simulations);

        // 20 decodes at context 16: body and LM head between 16 and 32 sequences (attention is 20 times one
        // sequence's, linear in the count, so the whole price is on the line too).
        var batch = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, ServingTests.Tiny, 16);
        long s16 = batch.Cycles([.. Enumerable.Repeat(new SequenceStep(1, 16, true), 16)]);
        long s32 = batch.Cycles([.. Enumerable.Repeat(new SequenceStep(1, 16, true), 32)]);
        OnTheLine(batch.Cycles([.. Enumerable.Repeat(new SequenceStep(1, 16, true), 20)]), s16, s32, 20, 16, 32);
        Assert.Equal(2, batch.Simulations);

        // A 20-token prompt: body and attention between the prompts of 16 and 32 tokens.
        var prefill = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, ServingTests.Tiny, 16);
        long p16 = prefill.Cycles([new(16, 16, false)]), p32 = prefill.Cycles([new(32, 32, false)]);
        OnTheLine(prefill.Cycles([new(20, 20, false)]), p16, p32, 20, 16, 32);
        long p48 = prefill.Cycles([new(48, 48, false)]);
        OnTheLine(prefill.Cycles([new(47, 47, false)]), p32, p48, 47, 32, 48);
        Assert.Equal(3, prefill.Simulations);
    }

    [Fact]
    public void PricingsAreRegisteredByName()
    {
        Assert.Equal(["separable", "exact"], IterationCostModels.All.Select(k => k.Name));
        Assert.Equal([true, false], IterationCostModels.All.Select(k => k.TakesGrid));
        Assert.IsType<SeparableIterationCost>(IterationCostModels.Find("separable")!.Create(ServingTests.Spec, ServingTests.Formats, TwoLayers, 4));
        Assert.IsType<ExactIterationCost>(IterationCostModels.Find("exact")!.Create(ServingTests.Spec, ServingTests.Formats, TwoLayers, 4));
        Assert.Null(IterationCostModels.Find("linear"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, TwoLayers, 0));
    }

    [Fact]
    public void ExactPricingRunsEachCompositionOnce()
    {
        var exact = new ExactIterationCost(ServingTests.Spec, ServingTests.Formats, TwoLayers);
        SequenceStep[] mixed = [new(8, 8, false), new(1, 20, true), new(1, 20, true)];
        Assert.Equal(WholeRun(mixed), exact.Cycles(mixed));
        // The same composition in another order is the same batch.
        Assert.Equal(WholeRun(mixed), exact.Cycles([mixed[1], mixed[0], mixed[2]]));
        Assert.Equal(1, exact.Simulations);
        // Each of these differs from the others in one field: sequences, queries, context, cached, phase.
        SequenceStep[][] others =
        [
            [new(8, 8, false), new(1, 20, true)],
            [new(8, 8, false), new(2, 20, true), new(1, 20, true)],
            [new(8, 8, false), new(1, 21, true), new(1, 20, true)],
            [new(8, 8, true), new(1, 20, true), new(1, 20, true)],
            [new(1, 20, true), new(1, 20, true)],
            [new(1, 20, false), new(1, 20, false)],
        ];
        foreach (var batch in others) Assert.Equal(WholeRun(batch), exact.Cycles(batch));
        Assert.Equal(7, exact.Simulations);
    }
}
