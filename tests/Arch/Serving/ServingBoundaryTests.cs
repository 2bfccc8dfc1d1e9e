using System.Text.Json;
using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// The serving model at the bounds its rules state, each against a value worked out by hand: the largest fixed
/// length, a duration ending exactly at an arrival, arrivals and iterations past 64-bit picoseconds, the chunked
/// scheduler's batch limit and its budget after a preemption, time series with an idle tail, the trace's slice
/// categories and the registries' descriptions. Linear iteration cost: 1000 cycles + 10 per token at 1 GHz (a cycle is
/// 1000 ps), 4-token KV blocks.
/// </summary>
public class ServingBoundaryTests
{
    private static (ServingOutcome Outcome, LinearIterationCost Cost) Serve(ServingRequest[] requests, SchedulerOptions options, long blocks)
    {
        var cost = new LinearIterationCost();
        var outcome = new ServingSimulation(requests, ServingSchedulers.Find("continuous")!.Create(options), cost, new KvCache(blocks, 4), 1_000_000_000).Run();
        return (outcome, cost);
    }

    private static readonly SchedulerOptions PrefillFirst = new(8, 100, false, KvPolicy.Preempt);

    [Fact]
    public void AFixedLengthGoesUpToIntMaxAndDrawsNoRandomNumbers()
    {
        Assert.Equal(int.MaxValue, LengthDistribution.Parse("2147483647", "p").Sample(new Random(1)));
        Assert.Equal("--prompt: '2147483648': a fixed length is a whole number from 1",
            Assert.Throws<FormatException>(() => LengthDistribution.Parse("2147483648", "--prompt")).Message);
        // A fixed length (also uniform:A:A) leaves the seeded sequence to the arrivals and other lengths.
        var drawn = new Random(7);
        var replay = new Random(7);
        LengthDistribution.Parse("12", "p").Sample(drawn);
        LengthDistribution.Parse("uniform:5:5", "p").Sample(drawn);
        Assert.Equal(replay.NextDouble(), drawn.NextDouble());
    }

    [Fact]
    public void ADurationEndingExactlyAtAnArrivalKeepsIt()
    {
        var prompt = LengthDistribution.Parse("uniform:1:9", "p");
        var output = LengthDistribution.Parse("uniform:1:9", "o");
        // The first arrival replayed: t = −ln(1 − U) / rate; "until the duration has passed" keeps t = duration.
        var r = new Random(4);
        double first = -Math.Log(1.0 - r.NextDouble()) / 2;
        var requests = RequestSource.Poisson(2, 4, first, null, prompt, output);
        Assert.Equal([new ServingRequest(0, (long)Math.Round(first * 1e12), r.Next(1, 10), r.Next(1, 10))], requests);
        Assert.Equal("give exactly one of a duration and a request count",
            Assert.Throws<ArgumentException>(() => RequestSource.Poisson(2, 4, null, null, prompt, output)).Message);
    }

    [Fact]
    public void ArrivalsAndIterationsBeyondSixtyFourBitPicosecondsOverflowLoudly()
    {
        // At 10⁻¹⁵ requests per second the first gap is −ln(1 − U) · 10¹⁵ s, 10²⁷ ps times −ln(1 − U): past 2⁶³ ps
        // unless U < 10⁻⁸. (Saturating to long.MaxValue would schedule the arrival at the end of time instead.)
        var fixedLength = LengthDistribution.Parse("4", "p");
        Assert.True(-Math.Log(1.0 - new Random(3).NextDouble()) * 1e27 > long.MaxValue);
        Assert.Throws<OverflowException>(() => RequestSource.Poisson(1e-15, 3, null, 1, fixedLength, fixedLength));

        // 10⁷ cycles at 1 Hz are 10¹⁹ ps, beyond 2⁶³ − 1 ≈ 9.22·10¹⁸.
        var run = new ServingSimulation([new ServingRequest(0, 0, 4, 1)], new ContinuousBatchScheduler(PrefillFirst), new ConstantCost(10_000_000),
            new KvCache(10, 4), 1);
        Assert.Throws<OverflowException>(() => run.Run());
    }

    private sealed class ConstantCost(long cycles) : IIterationCost
    {
        public long Cycles(IReadOnlyList<SequenceStep> steps) => cycles;

        public long Simulations => 0;
    }

    [Fact]
    public void AnUncomputedOneTokenPromptIsNotADecode()
    {
        var state = new RequestState(new ServingRequest(0, 0, 1, 3));
        Assert.Equal((1, false), (state.TokensToCompute, state.Decoding));
        state.ComputedTokens = 1;
        state.GeneratedTokens = 1;
        Assert.Equal((1, true), (state.TokensToCompute, state.Decoding));
    }

    [Fact]
    public void ChunkedPrefillAdmitsNoMoreThanTheBatchLimit()
    {
        // Max batch 1, budget 10: two prompts of 2 at 0; the second waits although the budget has room.
        var (_, cost) = Serve([new(0, 0, 2, 1), new(1, 0, 2, 1)], new SchedulerOptions(1, 10, true, KvPolicy.Preempt), blocks: 10);
        Assert.Equal([new SequenceStep(2, 2, false)], cost.Batches[0]);
        Assert.Equal([new SequenceStep(2, 2, false)], cost.Batches[1]);
        Assert.Equal(2, cost.Batches.Count);
    }

    /// <summary>
    /// Chunked, budget 5, 4 blocks of 4 tokens; rA (prompt 1), rB and rC (prompt 2), 6 tokens each, at 0.
    /// 1: all three prompts (5 tokens), one block each. 2, 3: three decodes at A 2, 3 / B, C 3, 4 tokens.
    /// 4: rA decodes at 4 tokens (1 block); rB grows to 5 tokens and takes the last free block; rC needs one too and is
    /// last, so it preempts itself. Two steps (2 tokens) are scheduled: 5 − 2 = 3 tokens are left, and rC, first in
    /// the queue, is admitted again for 3 of its 5 known tokens (prompt 2 + 3 generated) in the block it freed.
    /// </summary>
    [Fact]
    public void AfterAPreemptionTheBudgetLeftIsTheBudgetLessEveryScheduledToken()
    {
        var (outcome, cost) = Serve([new(0, 0, 1, 6), new(1, 0, 2, 6), new(2, 0, 2, 6)], new SchedulerOptions(8, 5, true, KvPolicy.Preempt), blocks: 4);
        Assert.Equal([new SequenceStep(1, 1, false), new SequenceStep(2, 2, false), new SequenceStep(2, 2, false)], cost.Batches[0]);
        Assert.Equal([new SequenceStep(1, 2, true), new SequenceStep(1, 3, true), new SequenceStep(1, 3, true)], cost.Batches[1]);
        Assert.Equal([new SequenceStep(1, 3, true), new SequenceStep(1, 4, true), new SequenceStep(1, 4, true)], cost.Batches[2]);
        Assert.Equal([new SequenceStep(1, 4, true), new SequenceStep(1, 5, true), new SequenceStep(3, 3, false)], cost.Batches[3]);
        Assert.True(outcome.Preemptions >= 1);
    }

    [Fact]
    public void SeriesCoverAnIdleTailAndARunWithoutIterationsHasNone()
    {
        // r0 (prompt 4, 1 token) runs [0, 1.04 M ps) in 1 of 10 blocks; r1 (prompt 100) arrives at 2 M ps and is
        // rejected, ending the run there. Four points of 0.5 M ps: two inside the iteration, one overlapping it by
        // 40,000 ps (0.08 of the point), one idle.
        var (outcome, _) = Serve([new(0, 0, 4, 1), new(1, 2_000_000, 100, 1)], PrefillFirst, blocks: 10);
        Assert.Equal(2_000_000, outcome.EndPs);
        Assert.Equal(
        [
            new SeriesPoint(0, 0.5e-6, 0.1, 0, 1),
            new SeriesPoint(0.5e-6, 1e-6, 0.1, 0, 1),
            new SeriesPoint(1e-6, 1.5e-6, 0.1 * 40_000 / 500_000, 0, 40_000.0 / 500_000),
            new SeriesPoint(1.5e-6, 2e-6, 0, 0, 0),
        ], outcome.Series(4));

        // Every request rejected: time passed (to the arrival at 1000 ps) but nothing ran, so no series.
        var (rejected, _) = Serve([new(0, 1000, 100, 1)], PrefillFirst, blocks: 10);
        Assert.Equal((1000L, 1L), (rejected.EndPs, rejected.Rejected));
        Assert.Empty(rejected.Series(4));
    }

    [Fact]
    public void TraceSlicesAreCategorizedAsIterationOrRequest()
    {
        // rA waits behind rB's prompt, so every nested slice kind (queued, to first token, decode) occurs.
        var (outcome, _) = Serve([new(0, 0, 10, 2), new(1, 500_000, 10, 2)], PrefillFirst, blocks: 10);
        using var stream = new MemoryStream();
        ServingTrace.Write(outcome, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var slices = doc.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X")
            .Select(e => (e.GetProperty("name").GetString()!.Split(' ')[0], e.GetProperty("cat").GetString())).Distinct().ToList();
        Assert.Equal(
        [
            ("1", "iteration"), ("decode", "iteration"), ("request", "request"), ("to", "request"), ("decode", "request"), ("queued", "request"),
        ], slices);
    }

    [Fact]
    public void RegisteredSchedulersAndPricingsAreEachDescribed()
    {
        foreach (var descriptions in new[] { ServingSchedulers.All.Select(k => k.Description), IterationCostModels.All.Select(k => k.Description) })
        {
            Assert.All(descriptions, d => Assert.True(d.Length > 20, d));
            Assert.Equal(descriptions.Count(), descriptions.Distinct().Count());
        }
    }

    [Fact]
    public void AttentionGroupsAreOrderedByQueriesContextThenFreshBeforeCached()
    {
        SequenceStep[] steps = [new(4, 8, true), new(4, 8, false), new(2, 9, true), new(4, 6, false), new(4, 8, true)];
        Assert.Equal(
            [(1L, 2L, 9L, true), (1L, 4L, 6L, false), (1L, 4L, 8L, false), (2L, 4L, 8L, true)],
            IterationPhase.Groups(steps).Select(g => (g.Sequences, g.Queries, g.Context.Constant, g.CachedContext)));
    }
}
