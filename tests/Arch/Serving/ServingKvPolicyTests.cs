using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// The KV policies worked out by hand on a cache of a few 4-token blocks, with a linear iteration cost (1000 cycles
/// + 10 per token at 1 GHz: a cycle is 1000 ps): recompute preemption of another request and of the request itself
/// (prefill-first and chunked), and reservation at admission. Every iteration record and request time is derived in
/// the comments, step by step, from the schedulers' documented rules.
/// </summary>
public class ServingKvPolicyTests
{
    private static (ServingOutcome Outcome, LinearIterationCost Cost) Serve(ServingRequest[] requests, SchedulerOptions options, long blocks)
    {
        var cost = new LinearIterationCost();
        var scheduler = ServingSchedulers.Find("continuous")!.Create(options);
        var outcome = new ServingSimulation(requests, scheduler, cost, new KvCache(blocks, 4), 1_000_000_000).Run();
        return (outcome, cost);
    }

    private static (long, long, long, long, int, long) Times(RequestState? s) =>
        (s!.FirstScheduledPs, s.FirstTokenPs, s.FinishPs, s.WaitingPs, s.Preemptions, s.HeldBlocks);

    /// <summary>
    /// Prefill-first, 4 blocks of 4 tokens; r0 and r1 (prompt 6, 4 tokens each) at 0. Both prompts take 2 blocks
    /// (1120 cycles); two decode steps of both at 7 and 8 tokens still fit 2 blocks (1020 each). At 3.16 M r0 needs
    /// a third block for token 9, none is free: the last admitted (r1) is preempted, r0 decodes alone (1010) and
    /// finishes at 4.17 M; r1 then recomputes its prompt and 3 tokens, 9 uncached tokens in 3 blocks (1090), and
    /// emits its 4th and last token at 5.26 M, having waited 4.17 M − 3.16 M.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheLastAdmittedIsPreemptedAndRecomputes(bool chunked)
    {
        // Chunked prefill with a budget of 100 takes the same steps: both prompts fit the budget, and after the
        // preemption r1's 9 tokens need 3 blocks where 1 is free.
        var (outcome, cost) = Serve([new(0, 0, 6, 4), new(1, 0, 6, 4)], new SchedulerOptions(8, 100, chunked, KvPolicy.Preempt), blocks: 4);
        Assert.Equal(
        [
            new IterationRecord(0, 1_120_000, 1120, 2, 12, 2, 4, 0),
            new IterationRecord(1_120_000, 1_020_000, 1020, 2, 2, 0, 4, 0),
            new IterationRecord(2_140_000, 1_020_000, 1020, 2, 2, 0, 4, 0),
            new IterationRecord(3_160_000, 1_010_000, 1010, 1, 1, 0, 3, 1),
            new IterationRecord(4_170_000, 1_090_000, 1090, 1, 9, 1, 3, 0),
        ], outcome.Iterations);
        Assert.Equal([new SequenceStep(1, 8, true), new SequenceStep(1, 8, true)], cost.Batches[2]);
        Assert.Equal([new SequenceStep(1, 9, true)], cost.Batches[3]);
        Assert.Equal([new SequenceStep(9, 9, false)], cost.Batches[4]);
        Assert.Equal((0L, 1_120_000L, 4_170_000L, 0L, 0, 0L), Times(outcome.States[0]));
        Assert.Equal((0L, 1_120_000L, 5_260_000L, 1_010_000L, 1, 0L), Times(outcome.States[1]));
        Assert.Equal((5_260_000L, 1L, 2L), (outcome.EndPs, outcome.Preemptions, outcome.Completed));
        Assert.Equal(4, outcome.States[1]!.GeneratedTokens);
        // Waiting: 2 at the arrivals (0 long), 1 over [3.16 M, 4.17 M). KV blocks: 4 until 3.16 M, then 3.
        Assert.Equal(2, outcome.MaxWaiting);
        Assert.Equal(1_010_000 / 5_260_000.0, outcome.MeanWaiting, 12);
        Assert.Equal((4 * 3_160_000 + 3 * 2_100_000) / 5_260_000.0 / 4, outcome.MeanKvOccupancy, 12);
        Assert.Equal((0L, 4L), (outcome.Kv.UsedBlocks, outcome.Kv.TotalBlocks));
    }

    /// <summary>
    /// Prefill-first, 4 blocks of 4 tokens; r0 (prompt 5, 3 tokens) and r1 (prompt 7, 3 tokens) at 0: 2 + 2 blocks
    /// for the prompts (1120 cycles), one decode of both at 6 and 8 tokens (1020). At 2.14 M r0 grows to 7 tokens
    /// within its 2 blocks, r1 needs a third block for 9: it is itself the last admitted, so it preempts itself and
    /// the step runs r0 alone (1010); r0 finishes at 3.15 M and r1 recomputes 7 + 2 tokens (1090) to 4.24 M.
    /// </summary>
    [Fact]
    public void ARequestThatCannotGrowAndIsLastPreemptsItself()
    {
        var (outcome, cost) = Serve([new(0, 0, 5, 3), new(1, 0, 7, 3)], new SchedulerOptions(8, 100, false, KvPolicy.Preempt), blocks: 4);
        Assert.Equal(
        [
            new IterationRecord(0, 1_120_000, 1120, 2, 12, 2, 4, 0),
            new IterationRecord(1_120_000, 1_020_000, 1020, 2, 2, 0, 4, 0),
            new IterationRecord(2_140_000, 1_010_000, 1010, 1, 1, 0, 2, 1),
            new IterationRecord(3_150_000, 1_090_000, 1090, 1, 9, 1, 3, 0),
        ], outcome.Iterations);
        Assert.Equal([new SequenceStep(1, 6, true), new SequenceStep(1, 8, true)], cost.Batches[1]);
        Assert.Equal([new SequenceStep(1, 7, true)], cost.Batches[2]);
        Assert.Equal((0L, 1_120_000L, 3_150_000L, 0L, 0, 0L), Times(outcome.States[0]));
        Assert.Equal((0L, 1_120_000L, 4_240_000L, 1_010_000L, 1, 0L), Times(outcome.States[1]));
        Assert.Equal((4_240_000L, 1L), (outcome.EndPs, outcome.Preemptions));
    }

    /// <summary>
    /// Chunked prefill with a budget of 4 tokens, 3 blocks of 4; r0 (prompt 4, 4 tokens) and r1 (prompt 4, 5
    /// tokens) at 0.
    /// 1 [0, 1.04 M): r0's prompt takes the whole budget (1 block).
    /// 2 [1.04 M, 2.08 M): r0 decodes (5 tokens, 2 blocks), r1 gets the 3 tokens left of the budget (1 block).
    /// 3 [2.08 M, 3.10 M): r0 decodes (6), r1's last prompt token (a single query over cached context, priced like a
    /// decode) — 2 tokens, 1020 cycles; both hold 3 blocks and r1 emits its first token.
    /// 4 [3.10 M, 4.14 M): r0 decodes (7 tokens, still 2 blocks); r1 needs a second block for 5 tokens, none is free,
    /// and it is the last admitted: it preempts itself. The budget left is then 4 − 1 = 3, so r1 is admitted again in
    /// the same iteration with 3 of its 5 known tokens (1 block): 1 + 3 tokens, 1040 cycles.
    /// 5 [4.14 M, 5.16 M): r0 finished at 4.14 M; r1 computes its last 2 known tokens (1020) and emits its second.
    /// 6–8: r1 decodes at 6, 7 and 8 tokens (1010 each), emitting its fifth and last token at 8.19 M.
    /// </summary>
    [Fact]
    public void ChunkedPrefillReadmitsAPreemptedRequestWithinTheBudgetLeft()
    {
        var (outcome, cost) = Serve([new(0, 0, 4, 4), new(1, 0, 4, 5)], new SchedulerOptions(8, 4, true, KvPolicy.Preempt), blocks: 3);
        Assert.Equal(
        [
            new IterationRecord(0, 1_040_000, 1040, 1, 4, 1, 1, 1),
            new IterationRecord(1_040_000, 1_040_000, 1040, 2, 4, 1, 3, 0),
            new IterationRecord(2_080_000, 1_020_000, 1020, 2, 2, 0, 3, 0),
            new IterationRecord(3_100_000, 1_040_000, 1040, 2, 4, 1, 3, 0),
            new IterationRecord(4_140_000, 1_020_000, 1020, 1, 2, 1, 2, 0),
            new IterationRecord(5_160_000, 1_010_000, 1010, 1, 1, 0, 2, 0),
            new IterationRecord(6_170_000, 1_010_000, 1010, 1, 1, 0, 2, 0),
            new IterationRecord(7_180_000, 1_010_000, 1010, 1, 1, 0, 2, 0),
        ], outcome.Iterations);
        Assert.Equal([new SequenceStep(1, 5, true), new SequenceStep(3, 3, false)], cost.Batches[1]);
        Assert.Equal([new SequenceStep(1, 6, true), new SequenceStep(1, 4, true)], cost.Batches[2]);
        Assert.Equal([new SequenceStep(1, 7, true), new SequenceStep(3, 3, false)], cost.Batches[3]);
        Assert.Equal([new SequenceStep(2, 5, true)], cost.Batches[4]);
        Assert.Equal((0L, 1_040_000L, 4_140_000L, 0L, 0, 0L), Times(outcome.States[0]));
        // r1 waited from 0 to its admission at 1.04 M, and not at all when it was admitted again at once.
        Assert.Equal((1_040_000L, 3_100_000L, 8_190_000L, 1_040_000L, 1, 0L), Times(outcome.States[1]));
        Assert.Equal((8_190_000L, 1L, 2L), (outcome.EndPs, outcome.Preemptions, outcome.Completed));
    }

    /// <summary>
    /// Reservation: 4 blocks of 4; r0 and r1 (prompt 6, 4 tokens: at most 9 tokens, 3 blocks) at 0. r0 reserves all 3
    /// blocks at admission, r1's 3 do not fit beside them, so r1 waits while r0 prefills (1060) and decodes three
    /// times at 7, 8, 9 tokens (1010 each, no growth needed) to 4.09 M; then r1 runs the same way to 8.18 M. Without
    /// reservation both prompts would start together (2 blocks each).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReservationAdmitsOnlyWhatCanFinish(bool chunked)
    {
        var (outcome, _) = Serve([new(0, 0, 6, 4), new(1, 0, 6, 4)], new SchedulerOptions(8, 100, chunked, KvPolicy.Reserve), blocks: 4);
        long[] starts = [0, 1_060_000, 2_070_000, 3_080_000, 4_090_000, 5_150_000, 6_160_000, 7_170_000];
        var expected = starts.Select((s, i) => i % 4 == 0
            ? new IterationRecord(s, 1_060_000, 1060, 1, 6, 1, 3, i < 4 ? 1 : 0)
            : new IterationRecord(s, 1_010_000, 1010, 1, 1, 0, 3, i < 4 ? 1 : 0)).ToList();
        Assert.Equal(expected, outcome.Iterations);
        Assert.Equal((0L, 1_060_000L, 4_090_000L, 0L, 0, 0L), Times(outcome.States[0]));
        Assert.Equal((4_090_000L, 5_150_000L, 8_180_000L, 4_090_000L, 0, 0L), Times(outcome.States[1]));
        Assert.Equal((8_180_000L, 0L), (outcome.EndPs, outcome.Preemptions));
        // Two series points of 4.09 M ps: r1 waits through the first (r0's four iterations) and not in the second;
        // 3 of 4 blocks are held and one request runs throughout.
        var series = outcome.Series(2);
        Assert.Equal([1.0, 0.0], series.Select(p => p.Waiting));
        Assert.All(series, p => Assert.Equal((0.75, 1.0), (p.KvOccupancy, p.Running)));
        // Both wait for an instant at their arrival (2), then r1 alone until 4.09 M.
        Assert.Equal(2, outcome.MaxWaiting);
        Assert.Equal(4_090_000 / 8_180_000.0, outcome.MeanWaiting, 12);
    }
}
