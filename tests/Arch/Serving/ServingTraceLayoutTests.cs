using System.Text.Json;
using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// The serving trace of a run worked out by hand, event by event: slice names, tracks, nesting and track reuse.
/// Linear iteration cost: 1000 cycles + 10 per token at 1 GHz (a cycle is 1000 ps, so 1,000,000 ps is 1 µs).
/// </summary>
public class ServingTraceLayoutTests
{
    private static List<(string Ph, int Tid, string Name, decimal Ts, decimal Dur)> Events(ServingRequest[] requests, long blocks = 10)
    {
        var scheduler = ServingSchedulers.Find("continuous")!.Create(new SchedulerOptions(8, 100, false, KvPolicy.Preempt));
        var outcome = new ServingSimulation(requests, scheduler, new LinearIterationCost(), new KvCache(blocks, 4), 1_000_000_000).Run();
        using var stream = new MemoryStream();
        ServingTrace.Write(outcome, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        return
        [
            .. doc.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => e.GetProperty("ph").GetString() == "M"
                ? ("M", e.GetProperty("tid").GetInt32(), e.GetProperty("args").GetProperty("name").GetString()!, 0m, 0m)
                : (e.GetProperty("ph").GetString()!, e.GetProperty("tid").GetInt32(), e.GetProperty("name").GetString()!,
                    e.GetProperty("ts").GetDecimal(), e.GetProperty("dur").GetDecimal())),
        ];
    }

    /// <summary>
    /// Prefill-first; rA (0, prompt 10, 2 tokens), rB (0.5 µs, prompt 10, 1 token), rC (2.2 µs, prompt 4, 1 token).
    /// [0, 1.1): rA's prompt (1100 cycles), rB arrives and waits. [1.1, 2.2): rB's prompt alone (prefill first);
    /// rB is done at 2.2. At 2.2 rC arrives (its arrival was scheduled before that iteration's end, so it is
    /// queued first) and [2.2, 3.24) prefills it; [3.24, 4.25) rA decodes its second token.
    /// Request tracks: rA on track 2; rB overlaps it, so track 3; rC arrives exactly when rB finished, so it reuses
    /// track 3 (a track is free from its last request's finish on).
    /// </summary>
    [Fact]
    public void EverySliceByHand()
    {
        var events = Events([new(0, 0, 10, 2), new(1, 500_000, 10, 1), new(2, 2_200_000, 4, 1)]);
        Assert.Equal(
        [
            ("M", 1, "iterations", 0m, 0m),
            ("X", 1, "1 seqs (1 prefilling), 10 tokens", 0m, 1.1m),
            ("X", 1, "1 seqs (1 prefilling), 10 tokens", 1.1m, 1.1m),
            ("X", 1, "1 seqs (1 prefilling), 4 tokens", 2.2m, 1.04m),
            ("X", 1, "decode x1", 3.24m, 1.01m),
            ("M", 2, "requests 1", 0m, 0m),
            ("X", 2, "request 0 (prompt 10, output 2)", 0m, 4.25m),
            ("X", 2, "to first token", 0m, 1.1m),
            ("X", 2, "decode", 1.1m, 3.15m),
            ("M", 3, "requests 2", 0m, 0m),
            ("X", 3, "request 1 (prompt 10, output 1)", 0.5m, 1.7m),
            ("X", 3, "queued", 0.5m, 0.6m),
            ("X", 3, "to first token", 1.1m, 1.1m),
            ("X", 3, "request 2 (prompt 4, output 1)", 2.2m, 1.04m),
            ("X", 3, "to first token", 2.2m, 1.04m),
        ], events.Select(e => (e.Ph, e.Tid, e.Name, e.Ts, e.Dur)));
    }

    /// <summary>
    /// A decode iteration of several sequences, a mixed name, a rejected request (no slices) and a preemption: 4
    /// blocks of 4, r0 (prompt 5, 3 tokens), r1 (prompt 7, 3 tokens), r2 (prompt 20: 5 blocks, rejected), all at 0.
    /// r1 preempts itself at its second decode (see ServingKvPolicyTests) and recomputes at [3.15, 4.24).
    /// </summary>
    [Fact]
    public void PreemptionsAndRejectionsShowInTheRequestSlices()
    {
        var events = Events([new(0, 0, 5, 3), new(1, 0, 7, 3), new(2, 0, 20, 1)], blocks: 4);
        Assert.Equal(
        [
            "2 seqs (2 prefilling), 12 tokens", "decode x2", "decode x1", "1 seqs (1 prefilling), 9 tokens",
            "request 0 (prompt 5, output 3)", "to first token", "decode",
            "request 1 (prompt 7, output 3)", "to first token (1 preemptions in all)", "decode",
        ], events.Where(e => e.Ph == "X").Select(e => e.Name));
        Assert.Equal([(1, "iterations"), (2, "requests 1"), (3, "requests 2")], events.Where(e => e.Ph == "M").Select(e => (e.Tid, e.Name)));
        // r1's first token came with the prompt at 1.12 µs; its decode lasts to its recomputation's end.
        Assert.Contains(("X", 3, "decode", 1.12m, 3.12m), events);
    }
}
