using HwSim.Workloads.Models;

namespace HwSim.Workloads.Tracing;

/// <summary>
/// A traced workload: the prefill ops, and the decode ops as templates run once per decode step with KV-cache
/// length kv = <see cref="FirstDecodeKv"/> .. FirstDecodeKv + DecodeSteps − 1 (a step reads kv cached tokens,
/// appends its own, and attends over kv + 1). Imported GEMM lists have only standalone ops in
/// <see cref="Prefill"/>.
/// </summary>
public sealed record Workload(
    string Name,
    ModelConfig? Model,
    int Batch,
    int Prompt,
    int Generate,
    Precision Precision,
    IReadOnlyList<TraceOp> Prefill,
    IReadOnlyList<TraceOp> Decode)
{
    public long FirstDecodeKv => Prompt;
    public long DecodeSteps => Decode.Count == 0 ? 0 : Generate;

    /// <summary>The KV-cache length of every decode step, in order.</summary>
    public IEnumerable<long> DecodeKvLengths()
    {
        for (long step = 0; step < DecodeSteps; step++) yield return FirstDecodeKv + step;
    }

    public IEnumerable<TraceOp> AllOps => Prefill.Concat(Decode);
}
