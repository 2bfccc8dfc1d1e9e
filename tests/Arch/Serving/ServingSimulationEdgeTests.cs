using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// The serving loop at its edges, by hand with a linear iteration cost (1000 cycles + 10 per token at 1 GHz, a cycle
/// being 1000 ps) and 4-token KV blocks: an empty run, a scheduler that never runs anything, a request that exactly
/// fills the cache, simultaneous arrivals, the token budget's bound, and time series across an idle gap.
/// </summary>
public class ServingSimulationEdgeTests
{
    private sealed class NeverScheduler : IBatchScheduler
    {
        public List<ScheduledStep> Next(ServingQueues queues, long nowPs) => [];

        public void Finished(ServingQueues queues, RequestState request) { }
    }

    private static ServingOutcome Serve(ServingRequest[] requests, int budget = 100, long blocks = 10, Action<long>? progress = null) =>
        new ServingSimulation(requests, new ContinuousBatchScheduler(new SchedulerOptions(8, budget, false, KvPolicy.Preempt)), new LinearIterationCost(),
            new KvCache(blocks, 4), 1_000_000_000, progress).Run();

    [Fact]
    public void AnEmptyRunHasNoTimeAndZeroRates()
    {
        var outcome = Serve([]);
        Assert.Equal((0L, 0L, 0L, 0L), (outcome.EndPs, outcome.BusyPs, outcome.Completed, outcome.KernelEvents));
        Assert.Equal((0.0, 0.0, 0.0, 0.0, 0.0), (outcome.Utilization, outcome.DurationS, outcome.RequestsPerSecond, outcome.OutputTokensPerSecond, outcome.TotalTokensPerSecond));
        Assert.Equal((0.0, 0.0, 0.0), (outcome.MeanInSystem, outcome.MeanWaiting, outcome.MeanKvOccupancy));
        Assert.Empty(outcome.Series(4));
        Assert.Equal(0, outcome.Ttft().Count);
    }

    [Fact]
    public void RequestsLeftWaitingAreAnError()
    {
        var requests = new ServingRequest[] { new(0, 0, 4, 2), new(1, 10, 4, 2) };
        var run = new ServingSimulation(requests, new NeverScheduler(), new LinearIterationCost(), new KvCache(10, 4), 1_000_000_000);
        Assert.Equal("serving ended with 2 waiting and 0 running requests", Assert.Throws<InvalidOperationException>(run.Run).Message);
    }

    [Fact]
    public void ARequestThatExactlyFillsTheCacheIsServedAndProgressCountsEveryRequest()
    {
        // 4 blocks of 4 tokens: prompt 10 + 7 tokens holds at most 16 tokens (the last token's K/V is never written),
        // exactly the cache; prompt 10 + 8 would need 17, a fifth block, so it is rejected.
        long reported = 0;
        var outcome = Serve([new(0, 0, 10, 7), new(1, 0, 10, 8), new(2, 0, 1, 1)], blocks: 4, progress: n => reported += n);
        Assert.Equal((2L, 1L), (outcome.Completed, outcome.Rejected));
        Assert.NotNull(outcome.States[0]);
        Assert.Null(outcome.States[1]);
        Assert.Equal(7, outcome.States[0]!.GeneratedTokens);
        // One report per request: two finished, one rejected.
        Assert.Equal(3, reported);
    }

    [Fact]
    public void AnIdleAcceleratorStartsAfterEveryArrivalOfThatInstant()
    {
        // Three prompts of 4 at time 0 run as one batch of 12 tokens (1120 cycles): 3 arrivals, 1 start, 1 end.
        var outcome = Serve([new(0, 0, 4, 1), new(1, 0, 4, 1), new(2, 0, 4, 1)]);
        Assert.Equal([new IterationRecord(0, 1_120_000, 1120, 3, 12, 3, 3, 0)], outcome.Iterations);
        Assert.Equal(5, outcome.KernelEvents);
        Assert.Equal(3, outcome.MaxWaiting);
        Assert.Equal(3, outcome.MaxInSystem);
    }

    [Theory]
    // Budget 13: prompts of 10 and 3 fit it together (1130 cycles).
    [InlineData(13, new long[] { 1130 })]
    // Budget 12: the second prompt waits for the next iteration (1100, then 1030).
    [InlineData(12, new long[] { 1100, 1030 })]
    // Budget 8: a first prompt over the budget still runs, alone.
    [InlineData(8, new long[] { 1100, 1030 })]
    public void PromptsShareAnIterationWhileTheTokenBudgetLasts(int budget, long[] cycles)
    {
        var outcome = Serve([new(0, 0, 10, 1), new(1, 0, 3, 1)], budget);
        Assert.Equal(cycles, outcome.Iterations.Select(i => i.Cycles));
    }

    /// <summary>
    /// r0 at 0 and r1 at 3 µs, prompt 10 and one token each: [0, 1.1 µs) and [3, 4.1 µs) busy, idle between; 3 KV
    /// blocks of 10 during each iteration. Four series points of 1.025 µs: the first and last inside an iteration,
    /// the middle two overlapping one by 75 ns each.
    /// </summary>
    [Fact]
    public void SeriesAndAveragesAcrossAnIdleGap()
    {
        var outcome = Serve([new(0, 0, 10, 1), new(1, 3_000_000, 10, 1)]);
        Assert.Equal(
        [
            new IterationRecord(0, 1_100_000, 1100, 1, 10, 1, 3, 0),
            new IterationRecord(3_000_000, 1_100_000, 1100, 1, 10, 1, 3, 0),
        ], outcome.Iterations);
        Assert.Equal((4_100_000L, 2_200_000L, 6L), (outcome.EndPs, outcome.BusyPs, outcome.KernelEvents));
        Assert.Equal(2.2 / 4.1, outcome.Utilization, 12);
        Assert.Equal(2.2 / 4.1, outcome.MeanInSystem, 12);
        Assert.Equal(3 * 2.2 / 4.1 / 10, outcome.MeanKvOccupancy, 12);
        Assert.Equal(0.3, outcome.MaxKvOccupancy, 12);
        // Every request has one output token: no time per output token.
        Assert.Equal(0, outcome.Tpot().Count);
        Assert.Equal(2, outcome.Ttft().Count);
        Assert.Equal(1.1e-3, outcome.Ttft().MaxMs, 12);
        var series = outcome.Series(4);
        Assert.Equal([0, 1.025e-6, 2.05e-6, 3.075e-6], series.Select(p => p.StartS));
        Assert.Equal([1.025e-6, 2.05e-6, 3.075e-6, 4.1e-6], series.Select(p => p.EndS));
        double edge = 75_000 / 1_025_000.0;
        Assert.Equal([0.3, 0.3 * edge, 0.3 * edge, 0.3], series.Select(p => Math.Round(p.KvOccupancy, 12)), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([1, edge, edge, 1], series.Select(p => p.Running), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.All(series, p => Assert.Equal(0, p.Waiting));
    }
}
