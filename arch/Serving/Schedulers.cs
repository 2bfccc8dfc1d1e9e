namespace HwSim.Arch.Serving;

/// <summary>What happens when the KV cache cannot hold what a request needs.</summary>
public enum KvPolicy
{
    /// <summary>
    /// Allocate blocks as tokens are computed; when a running request cannot grow, the most recently admitted running
    /// request is preempted: its blocks are freed and it goes back to the front of the queue to recompute its prompt
    /// and generated tokens (vLLM's RECOMPUTE, the V1 default; Kwon et al., SOSP'23 Sec. 4.5).
    /// </summary>
    Preempt,

    /// <summary>Reserve blocks for prompt + output at admission, so running requests never need more; new requests wait (Orca Sec. 4.2).</summary>
    Reserve,
}

/// <summary>Scheduler limits: sequences per iteration, tokens per iteration, chunked prefill, KV policy.</summary>
public sealed record SchedulerOptions(int MaxBatch, int MaxBatchedTokens, bool ChunkedPrefill, KvPolicy KvPolicy);

/// <summary>The queues a scheduler works on: waiting (FCFS, preempted requests at the front), running (admission order), the KV cache.</summary>
public sealed class ServingQueues(KvCache kv)
{
    public LinkedList<RequestState> Waiting { get; } = new();
    public List<RequestState> Running { get; } = [];
    public KvCache Kv { get; } = kv;
    public long Preemptions { get; private set; }

    /// <summary>Moves a waiting request to running.</summary>
    public void Admit(RequestState request, long nowPs)
    {
        Waiting.Remove(request);
        Running.Add(request);
        request.WaitingPs += nowPs - request.WaitingSincePs;
        if (request.FirstScheduledPs < 0) request.FirstScheduledPs = nowPs;
    }

    /// <summary>Recompute preemption: blocks freed, computed tokens forgotten, back to the front of the queue.</summary>
    public void Preempt(RequestState request, long nowPs)
    {
        Running.Remove(request);
        Kv.Release(request);
        request.ComputedTokens = 0;
        request.Preemptions++;
        request.WaitingSincePs = nowPs;
        Waiting.AddFirst(request);
        Preemptions++;
    }

    /// <summary>Grows a running request to <paramref name="tokens"/>, preempting from the tail of running until it fits; false if it preempted itself.</summary>
    public bool GrowOrPreempt(RequestState request, long tokens, long nowPs)
    {
        while (!Kv.TryReserve(request, tokens))
        {
            var victim = Running[^1];
            Preempt(victim, nowPs);
            if (victim == request) return false;
        }
        return true;
    }
}

/// <summary>One iteration's work: each request and the tokens it computes.</summary>
public readonly record struct ScheduledStep(RequestState Request, int Tokens);

/// <summary>Chooses each iteration's batch.</summary>
public interface IBatchScheduler
{
    /// <summary>
    /// The next iteration's steps (with the KV they need already reserved), or an empty list when nothing can run
    /// until a request arrives.
    /// </summary>
    List<ScheduledStep> Next(ServingQueues queues, long nowPs);

    /// <summary>Called when a running request has generated its last token; the scheduler frees its KV when it chooses.</summary>
    void Finished(ServingQueues queues, RequestState request);
}

/// <summary>
/// Static (request-level) batching, as FasterTransformer serves (Orca, Yu et al., OSDI'22 Sec. 2; Vidur
/// faster_transformer_replica_scheduler.py): when the accelerator is free, up to max batch waiting requests start
/// together, each reserving KV for its prompt and output; one iteration prefills every prompt, then decode steps run
/// until the last of them finishes. A request completes at its last token, but the batch's KV is freed and new
/// requests join only when the whole batch is done.
/// </summary>
public sealed class StaticBatchScheduler(SchedulerOptions options) : IBatchScheduler
{
    private readonly List<RequestState> batch = [];

    public List<ScheduledStep> Next(ServingQueues queues, long nowPs)
    {
        var steps = new List<ScheduledStep>();
        if (batch.Count > 0 && batch.TrueForAll(r => r.Finished))
        {
            foreach (var r in batch) queues.Kv.Release(r);
            batch.Clear();
        }
        if (batch.Count == 0)
        {
            while (queues.Waiting.First is { Value: var r } && batch.Count < options.MaxBatch && queues.Kv.TryReserve(r, r.MaxKvTokens))
            {
                queues.Admit(r, nowPs);
                batch.Add(r);
            }
        }
        foreach (var r in batch)
            if (!r.Finished) steps.Add(new ScheduledStep(r, r.TokensToCompute));
        return steps;
    }

    public void Finished(ServingQueues queues, RequestState request) => queues.Running.Remove(request);
}

/// <summary>
/// Iteration-level (continuous) batching with vLLM's budgets: at most max batch sequences and max batched tokens per
/// iteration, FCFS. Without chunked prefill it is vLLM v0's scheduler (vllm/core/scheduler.py): an iteration with
/// waiting prompts that fit is prefill-only (whole prompts, while the token budget, the batch limit and the KV cache
/// allow; a first prompt larger than the budget runs alone), otherwise every running request decodes one token. With
/// chunked prefill it is Sarathi-Serve's stall-free batching (Agrawal et al., OSDI'24; vLLM V1): running requests
/// first (decodes, then unfinished prompt chunks), then new requests, each granted min(tokens left, budget left), so
/// prefill chunks and decodes share iterations. KV: see <see cref="KvPolicy"/>.
/// </summary>
public sealed class ContinuousBatchScheduler(SchedulerOptions options) : IBatchScheduler
{
    public List<ScheduledStep> Next(ServingQueues queues, long nowPs) =>
        options.ChunkedPrefill ? Chunked(queues, nowPs) : PrefillFirst(queues, nowPs);

    public void Finished(ServingQueues queues, RequestState request)
    {
        queues.Running.Remove(request);
        queues.Kv.Release(request);
    }

    private long AdmissionTokens(RequestState r, int tokens) =>
        options.KvPolicy == KvPolicy.Reserve ? Math.Max(r.MaxKvTokens, r.ComputedTokens + tokens) : r.ComputedTokens + tokens;

    private List<ScheduledStep> PrefillFirst(ServingQueues queues, long nowPs)
    {
        var steps = new List<ScheduledStep>();
        long budget = options.MaxBatchedTokens;
        while (queues.Waiting.First is { Value: var r } && queues.Running.Count < options.MaxBatch)
        {
            int tokens = r.TokensToCompute;
            if (steps.Count > 0 && tokens > budget) break;
            if (!queues.Kv.TryReserve(r, AdmissionTokens(r, tokens))) break;
            queues.Admit(r, nowPs);
            steps.Add(new ScheduledStep(r, tokens));
            budget -= tokens;
        }
        if (steps.Count > 0) return steps;
        for (int i = 0; i < queues.Running.Count; i++)
        {
            var r = queues.Running[i];
            if (!queues.GrowOrPreempt(r, r.ComputedTokens + 1, nowPs)) break;
            steps.Add(new ScheduledStep(r, 1));
        }
        return steps;
    }

    private List<ScheduledStep> Chunked(ServingQueues queues, long nowPs)
    {
        var steps = new List<ScheduledStep>();
        long budget = options.MaxBatchedTokens, preemptionsBefore = queues.Preemptions;
        // Decodes before unfinished chunks (Sarathi-Serve's order), each in admission order.
        foreach (bool decodes in (bool[])[true, false])
        {
            for (int i = 0; i < queues.Running.Count && budget > 0; i++)
            {
                var r = queues.Running[i];
                if (r.Decoding != decodes) continue;
                int tokens = (int)Math.Min(r.TokensToCompute, budget);
                if (!queues.GrowOrPreempt(r, r.ComputedTokens + tokens, nowPs))
                {
                    // r preempted itself: nothing after it is left in running.
                    break;
                }
                steps.Add(new ScheduledStep(r, tokens));
                budget -= tokens;
            }
        }
        // A preemption may have removed requests already scheduled (they were later in running).
        if (queues.Preemptions != preemptionsBefore)
        {
            steps.RemoveAll(s => s.Request.HeldBlocks == 0);
            budget = options.MaxBatchedTokens - steps.Sum(s => (long)s.Tokens);
        }
        while (budget > 0 && queues.Waiting.First is { Value: var r } && queues.Running.Count < options.MaxBatch)
        {
            int tokens = (int)Math.Min(r.TokensToCompute, budget);
            if (!queues.Kv.TryReserve(r, AdmissionTokens(r, tokens))) break;
            queues.Admit(r, nowPs);
            steps.Add(new ScheduledStep(r, tokens));
            budget -= tokens;
        }
        return steps;
    }
}
