using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// A serving run small enough to work out by hand, with a linear iteration cost (1000 cycles + 10 per token at
/// 1 GHz: one cycle = 1000 ps), so every record, latency, time average and series point is checked against
/// arithmetic rather than against another run.
/// </summary>
public class ServingTimelineTests
{
    private sealed class LinearCost : IIterationCost
    {
        public List<SequenceStep[]> Batches { get; } = [];

        public long Cycles(IReadOnlyList<SequenceStep> steps)
        {
            Batches.Add([.. steps]);
            return 1000 + 10 * steps.Sum(s => (long)s.Queries);
        }

        public long Simulations => Batches.Count;
    }

    /// <summary>
    /// r0 (0 ps, prompt 10, 3 tokens), r1 (5000 ps, prompt 20, 2 tokens), r2 (10000 ps, prompt 200: 13 blocks of 16
    /// tokens, more than the cache's 10, so rejected). Prefill-first continuous batching:
    /// [0, 1.1 M) prefill r0 (1100 cycles); [1.1 M, 2.3 M) prefill r1 (1200); [2.3 M, 3.32 M) decode both (1020),
    /// r1 finishes; [3.32 M, 4.33 M) decode r0 (1010), r0 finishes.
    /// </summary>
    private static (ServingOutcome Outcome, LinearCost Cost) Run()
    {
        ServingRequest[] requests = [new(0, 0, 10, 3), new(1, 5000, 20, 2), new(2, 10_000, 200, 1)];
        var cost = new LinearCost();
        var scheduler = ServingSchedulers.Find("continuous")!.Create(new SchedulerOptions(8, 100, false, KvPolicy.Preempt));
        var outcome = new ServingSimulation(requests, scheduler, cost, new KvCache(10, 16), 1_000_000_000).Run();
        return (outcome, cost);
    }

    [Fact]
    public void IterationsAndRequestTimes()
    {
        var (outcome, cost) = Run();
        Assert.Equal(
        [
            new IterationRecord(0, 1_100_000, 1100, 1, 10, 1, 1, 0),
            new IterationRecord(1_100_000, 1_200_000, 1200, 1, 20, 1, 3, 0),
            new IterationRecord(2_300_000, 1_020_000, 1020, 2, 2, 0, 3, 0),
            new IterationRecord(3_320_000, 1_010_000, 1010, 1, 1, 0, 1, 0),
        ], outcome.Iterations);
        Assert.Equal([new SequenceStep(1, 11, true), new SequenceStep(1, 21, true)], cost.Batches[2]);
        Assert.Equal([new SequenceStep(10, 10, false)], cost.Batches[0]);
        Assert.Equal((4_330_000L, 4_330_000L, 2L, 1L, 0L, 4L), (outcome.EndPs, outcome.BusyPs, outcome.Completed, outcome.Rejected, outcome.Preemptions, outcome.AcceleratorSimulations));
        // Events: three arrivals, one start from idle, four iteration ends.
        Assert.Equal(8, outcome.KernelEvents);
        Assert.Null(outcome.States[2]);
        var r0 = outcome.States[0]!;
        var r1 = outcome.States[1]!;
        Assert.Equal((0L, 1_100_000L, 4_330_000L, 0L), (r0.FirstScheduledPs, r0.FirstTokenPs, r0.FinishPs, r0.WaitingPs));
        Assert.Equal((1_100_000L, 2_300_000L, 3_320_000L, 1_095_000L), (r1.FirstScheduledPs, r1.FirstTokenPs, r1.FinishPs, r1.WaitingPs));
        Assert.Equal(1.0, outcome.Utilization);
        Assert.Equal((30L, 5L), (outcome.InputTokens, outcome.OutputTokens));
        Assert.Equal(4.33e-6, outcome.DurationS, 15);
        Assert.Equal(2 / 4.33e-6, outcome.RequestsPerSecond, 6);
        Assert.Equal(5 / 4.33e-6, outcome.OutputTokensPerSecond, 6);
        Assert.Equal(35 / 4.33e-6, outcome.TotalTokensPerSecond, 6);
        Assert.Equal(0, outcome.Kv.UsedBlocks);
    }

    [Fact]
    public void LatenciesInMilliseconds()
    {
        var (outcome, _) = Run();
        // Two values a ≤ b: mean (a + b) / 2, p-th percentile a + p/100 · (b − a), max b.
        static void Stats(LatencyStats s, double a, double b)
        {
            Assert.Equal(2, s.Count);
            Assert.Equal((a + b) / 2, s.MeanMs, 12);
            Assert.Equal(a + 0.5 * (b - a), s.P50Ms, 12);
            Assert.Equal(a + 0.9 * (b - a), s.P90Ms, 12);
            Assert.Equal(a + 0.99 * (b - a), s.P99Ms, 12);
            Assert.Equal(b, s.MaxMs, 12);
        }
        Stats(outcome.Ttft(), 1_100_000 / 1e9, 2_295_000 / 1e9);
        Stats(outcome.Tpot(), 1_020_000 / 1e9, (4_330_000 - 1_100_000) / 1e9 / 2);
        Stats(outcome.E2e(), 3_315_000 / 1e9, 4_330_000 / 1e9);
        Stats(outcome.QueueDelay(), 0, 1_095_000 / 1e9);
    }

    [Fact]
    public void TimeAveragesAndSeries()
    {
        var (outcome, _) = Run();
        // In system: 1 over [0, 5000), 2 until r1 finishes at 3.32 M, 1 until 4.33 M.
        Assert.Equal((5000 + 2 * (3_320_000 - 5000) + 1 * 1_010_000) / 4_330_000.0, outcome.MeanInSystem, 12);
        Assert.Equal(2, outcome.MaxInSystem);
        // Waiting: r1 from 5000 to 1.1 M (r2 was rejected, never queued).
        Assert.Equal((1_100_000 - 5000) / 4_330_000.0, outcome.MeanWaiting, 12);
        Assert.Equal(1, outcome.MaxWaiting);
        // KV blocks: 1 over the first iteration, 3 over the next two, 1 over the last; of 10.
        Assert.Equal((1 * 1_100_000 + 3 * 2_220_000 + 1 * 1_010_000) / 4_330_000.0 / 10, outcome.MeanKvOccupancy, 12);
        Assert.Equal(0.3, outcome.MaxKvOccupancy, 12);
        // Two points of 2.165 M ps each, iterations weighted by their overlap.
        var series = outcome.Series(2);
        Assert.Equal(2, series.Count);
        Assert.Equal((0.0, 2.165e-6), (series[0].StartS, series[0].EndS));
        Assert.Equal((2.165e-6, 4.33e-6), (series[1].StartS, series[1].EndS));
        Assert.Equal((1 * 1_100_000 + 3 * 1_065_000) / 2_165_000.0 / 10, series[0].KvOccupancy, 12);
        Assert.Equal(1.0, series[0].Running, 12);
        Assert.Equal((3 * 135_000 + 3 * 1_020_000 + 1 * 1_010_000) / 2_165_000.0 / 10, series[1].KvOccupancy, 12);
        Assert.Equal((135_000 + 2 * 1_020_000 + 1_010_000) / 2_165_000.0, series[1].Running, 12);
        Assert.All(series, p => Assert.Equal(0, p.Waiting));
        Assert.Equal(5, outcome.Series(5).Count);
    }

    [Fact]
    public void PercentilesInterpolateLikeNumpy()
    {
        // numpy.percentile([1, 2, 3, 4], [50, 90, 99]) = [2.5, 3.7, 3.97].
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(2.5, LatencyStats.Percentile(sorted, 50), 12);
        Assert.Equal(3.7, LatencyStats.Percentile(sorted, 90), 12);
        Assert.Equal(3.97, LatencyStats.Percentile(sorted, 99), 12);
        Assert.Equal(4, LatencyStats.Percentile(sorted, 100), 12);
        Assert.Equal(1, LatencyStats.Percentile(sorted, 0), 12);
        var stats = LatencyStats.Of([4, 1, 3, 2]);
        Assert.Equal(new LatencyStats(4, 2.5, 2.5, 3.7, 3.97, 4), stats with { P90Ms = Math.Round(stats.P90Ms, 12), P99Ms = Math.Round(stats.P99Ms, 12) });
        Assert.Equal(new LatencyStats(0, 0, 0, 0, 0, 0), LatencyStats.Of([]));
        Assert.Equal(new LatencyStats(1, 7, 7, 7, 7, 7), LatencyStats.Of([7]));
    }
}
