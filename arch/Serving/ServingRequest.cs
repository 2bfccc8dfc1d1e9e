namespace HwSim.Arch.Serving;

/// <summary>One request as it arrives: when (picoseconds from the start), its prompt and how many tokens it wants.</summary>
public sealed record ServingRequest(int Id, long ArrivalPs, int PromptTokens, int OutputTokens);

/// <summary>
/// A request while it is served. <see cref="ComputedTokens"/> have their K/V in the cache; the known tokens are the
/// prompt and the tokens generated so far; the request emits its next token in the iteration that computes the last
/// known token (so a whole prompt, or the prompt plus generated tokens after a preemption, then one token per step).
/// </summary>
public sealed class RequestState(ServingRequest request)
{
    public ServingRequest Request { get; } = request;
    public int ComputedTokens { get; set; }
    public int GeneratedTokens { get; set; }

    /// <summary>KV-cache blocks the request holds.</summary>
    public long HeldBlocks { get; set; }

    public long FirstScheduledPs { get; set; } = -1;
    public long FirstTokenPs { get; set; } = -1;
    public long FinishPs { get; set; } = -1;
    public int Preemptions { get; set; }

    /// <summary>When the request last entered the waiting queue (arrival or preemption).</summary>
    public long WaitingSincePs { get; set; }

    /// <summary>Total time spent in the waiting queue.</summary>
    public long WaitingPs { get; set; }

    public int KnownTokens => Request.PromptTokens + GeneratedTokens;
    public int TokensToCompute => KnownTokens - ComputedTokens;
    public bool Finished => GeneratedTokens >= Request.OutputTokens;

    /// <summary>Whether the next step is a decode (one token past the prompt) rather than (part of) a prefill.</summary>
    public bool Decoding => GeneratedTokens > 0 && TokensToCompute == 1;

    /// <summary>Most tokens the request will ever hold in the cache (the last output token's K/V is never written).</summary>
    public int MaxKvTokens => Request.PromptTokens + Request.OutputTokens - 1;
}
