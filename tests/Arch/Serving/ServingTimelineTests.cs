using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// A serving run small enough to work out by hand, with a linear iteration cost (1000 cycles + 10 per token at
/// 1 GHz: one cycle = 1000 ps), so every record, latency, time average and series point is checked against
/// arithmetic rather than against another run.
/// </summary>
public class ServingTimelineTests
{
    /// <summary>
    /// r0 (0 ps, prompt 10, 3 tokens), r1 (5000 ps, prompt 20, 2 tokens), r2 (10000 ps, prompt 200: 13 blocks of 16
    /// tokens, more than the cache's 10, so rejected). Prefill-first continuous batching:
    /// [0, 1.1 M) prefill r0 (1100 cycles); [1.1 M, 2.3 M) prefill r1 (1200); [2.3 M, 3.32 M) decode both (1020),
    /// r1 finishes; [3.32 M, 4.33 M) decode r0 (1010), r0 finishes.
    /// </summary>
    private static (ServingOutcome Outcome, LinearIterationCost Cost) Run()
    {
        ServingRequest[] requests = [new(0, 0, 10, 3), new(1, 5000, 20, 2), new(2, 10_000, 200, 1)];
        var cost = new LinearIterationCost();
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

    private static (ServingOutcome Outcome, LinearIterationCost Cost) Serve(ServingRequest[] requests, string scheduler, SchedulerOptions options)
    {
        var cost = new LinearIterationCost();
        var outcome = new ServingSimulation(requests, ServingSchedulers.Find(scheduler)!.Create(options), cost, new KvCache(10, 16), 1_000_000_000).Run();
        return (outcome, cost);
    }

    /// <summary>
    /// Static batching, at most 2 per batch: r0 (prompt 10, 3 tokens), r1 (20, 1), r2 (5, 1), all at 0. The batch
    /// r0 + r1 reserves 1 + 2 blocks and prefills together (1300 cycles); r1 is done after it but its blocks stay;
    /// r0 decodes twice (1010 each); only then are the blocks freed and r2 admitted (1050).
    /// </summary>
    [Fact]
    public void StaticBatchingByHand()
    {
        var (outcome, cost) = Serve([new(0, 0, 10, 3), new(1, 0, 20, 1), new(2, 0, 5, 1)], "static", new SchedulerOptions(2, 2048, false, KvPolicy.Preempt));
        Assert.Equal(
        [
            new IterationRecord(0, 1_300_000, 1300, 2, 30, 2, 3, 1),
            new IterationRecord(1_300_000, 1_010_000, 1010, 1, 1, 0, 3, 1),
            new IterationRecord(2_310_000, 1_010_000, 1010, 1, 1, 0, 3, 1),
            new IterationRecord(3_320_000, 1_050_000, 1050, 1, 5, 1, 1, 0),
        ], outcome.Iterations);
        Assert.Equal([new SequenceStep(1, 11, true)], cost.Batches[1]);
        Assert.Equal((1_300_000L, 3_320_000L, 4_370_000L), (outcome.States[1]!.FinishPs, outcome.States[0]!.FinishPs, outcome.States[2]!.FinishPs));
        Assert.Equal((3_320_000L, 3_320_000L), (outcome.States[2]!.FirstScheduledPs, outcome.States[2]!.WaitingPs));
        Assert.Equal(0, outcome.Kv.UsedBlocks);
        Assert.Equal(["continuous", "static"], ServingSchedulers.All.Select(k => k.Name));
        Assert.Null(ServingSchedulers.Find("fifo"));
    }

    /// <summary>
    /// Chunked prefill with a 16-token budget: r0 (prompt 20, 2 tokens) and r1 (10, 2) at 0. Iteration 1: r0's first
    /// 16 tokens (1160 cycles); 2: r0's last 4 and r1's whole prompt share the budget (1140); 3: both decode (1020).
    /// </summary>
    [Fact]
    public void ChunkedPrefillByHand()
    {
        var (outcome, cost) = Serve([new(0, 0, 20, 2), new(1, 0, 10, 2)], "continuous", new SchedulerOptions(8, 16, true, KvPolicy.Preempt));
        Assert.Equal(
        [
            new IterationRecord(0, 1_160_000, 1160, 1, 16, 1, 1, 1),
            new IterationRecord(1_160_000, 1_140_000, 1140, 2, 14, 2, 3, 0),
            new IterationRecord(2_300_000, 1_020_000, 1020, 2, 2, 0, 3, 0),
        ], outcome.Iterations);
        Assert.Equal([new SequenceStep(16, 16, false)], cost.Batches[0]);
        Assert.Equal([new SequenceStep(4, 20, true), new SequenceStep(10, 10, false)], cost.Batches[1]);
        Assert.Equal([new SequenceStep(1, 21, true), new SequenceStep(1, 11, true)], cost.Batches[2]);
        Assert.All(outcome.States, s => Assert.Equal((2_300_000L, 3_320_000L), (s!.FirstTokenPs, s.FinishPs)));
        Assert.Equal(1_160_000, outcome.States[1]!.WaitingPs);
        Assert.Equal(HwSim.Workloads.Tracing.Phase.Prefill, IterationPhase.Of(cost.Batches[1]));
        Assert.Equal(HwSim.Workloads.Tracing.Phase.Decode, IterationPhase.Of(cost.Batches[2]));
        Assert.Equal(HwSim.Workloads.Tracing.Phase.Prefill, IterationPhase.Of([new SequenceStep(1, 1, false)]));
        // Groups of equal steps, ordered by queries, context, cached.
        var groups = IterationPhase.Groups([new SequenceStep(4, 20, true), new SequenceStep(1, 21, true), new SequenceStep(1, 21, true), new SequenceStep(1, 9, true)]);
        Assert.Equal([(1L, 1L, 9L), (2L, 1L, 21L), (1L, 4L, 20L)], groups.Select(g => (g.Sequences, g.Queries, g.Context.Constant)));
    }
}
