using HwSim.Sim.Trace;

namespace HwSim.Arch.Serving;

/// <summary>
/// A serving run as Chrome trace-event JSON: track 1 holds the iterations (one slice each, named by the batch it ran),
/// the following tracks the requests, one slice per request from arrival to its last token (with nested slices for its
/// first wait, the time to its first token and its decode), packed onto as few tracks as never overlap (a track is
/// reused once its previous request has finished).
/// </summary>
public static class ServingTrace
{
    public static void Write(ServingOutcome outcome, Stream output)
    {
        using var trace = new ChromeTraceWriter(output);
        trace.NameTrack(1, "iterations");
        foreach (var it in outcome.Iterations)
            trace.Complete(1, it.Prefills == 0 ? $"decode x{it.Sequences}" : $"{it.Sequences} seqs ({it.Prefills} prefilling), {it.Tokens} tokens",
                "iteration", it.StartPs, it.DurationPs);
        var free = new PriorityQueue<int, (long FreePs, int Track)>();
        int tracks = 0;
        foreach (var state in outcome.States)
        {
            if (state is null) continue;
            int track;
            if (free.TryPeek(out int reusable, out var at) && at.FreePs <= state.Request.ArrivalPs)
            {
                free.Dequeue();
                track = reusable;
            }
            else
            {
                track = 2 + tracks++;
                trace.NameTrack(track, $"requests {tracks}");
            }
            long arrival = state.Request.ArrivalPs;
            trace.Complete(track, $"request {state.Request.Id} (prompt {state.Request.PromptTokens}, output {state.Request.OutputTokens})",
                "request", arrival, state.FinishPs - arrival);
            // Nested in it: the first wait, the time to the first token, the decode.
            if (state.FirstScheduledPs > arrival) trace.Complete(track, "queued", "request", arrival, state.FirstScheduledPs - arrival);
            trace.Complete(track, state.Preemptions > 0 ? $"to first token ({state.Preemptions} preemptions in all)" : "to first token", "request",
                state.FirstScheduledPs, state.FirstTokenPs - state.FirstScheduledPs);
            if (state.FinishPs > state.FirstTokenPs) trace.Complete(track, "decode", "request", state.FirstTokenPs, state.FinishPs - state.FirstTokenPs);
            free.Enqueue(track, (state.FinishPs, track));
        }
        trace.Finish(outcome.EndPs);
    }
}
