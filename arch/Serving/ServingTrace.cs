using HwSim.Sim.Trace;

namespace HwSim.Arch.Serving;

/// <summary>
/// A serving run as Chrome trace-event JSON: track 1 holds the iterations (one slice each, named by the batch it ran),
/// the following tracks the requests, one slice per request from arrival to its last token, packed onto as few
/// tracks as never overlap (a track is reused once its previous request has finished).
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
            trace.Complete(track, $"request {state.Request.Id} (prompt {state.Request.PromptTokens}, output {state.Request.OutputTokens})",
                "request", state.Request.ArrivalPs, state.FinishPs - state.Request.ArrivalPs);
            free.Enqueue(track, (state.FinishPs, track));
        }
        trace.Finish(outcome.EndPs);
    }
}
