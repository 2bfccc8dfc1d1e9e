namespace HwSim.Arch.Serving;

/// <summary>A registered scheduler: its name, what it does, and how to make one.</summary>
public sealed record SchedulerKind(string Name, string Description, Func<SchedulerOptions, IBatchScheduler> Create);

/// <summary>The schedulers `hwsim serve --scheduler` can name.</summary>
public static class ServingSchedulers
{
    public static readonly IReadOnlyList<SchedulerKind> All =
    [
        new("continuous", "iteration-level batching with vLLM budgets (chunked prefill optional)", o => new ContinuousBatchScheduler(o)),
        new("static", "request-level batching: a batch starts together and frees its KV when its last request ends", o => new StaticBatchScheduler(o)),
    ];

    public static SchedulerKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
