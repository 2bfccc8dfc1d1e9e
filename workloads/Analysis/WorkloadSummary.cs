using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Workloads.Analysis;

/// <summary>Totals of a workload; decode totals are exact sums over every step's KV length.</summary>
public sealed record WorkloadSummary(
    long Parameters,
    long WeightBytes,
    long KvCacheBytesPerToken,
    Int128 PrefillMacs,
    Int128 DecodeMacs,
    Int128 PrefillBytes,
    Int128 DecodeBytes,
    int PrefillOps,
    int DecodeOpsPerStep)
{
    public static WorkloadSummary Of(Workload workload)
    {
        var precision = workload.Precision;
        // Element counts of every weight tensor: the model's inventory, or each imported op's weight operands.
        var weightTensors = workload.Model is { } model
            ? ParameterInventory.Of(model).Select(t => t.Elements).ToList()
            : workload.Prefill.Select(o => o.WeightElements).ToList();
        long parameters = weightTensors.Sum();
        long weightBytes = weightTensors.Sum(precision.Weights.Bytes);
        long kvPerToken = workload.Model is { } m ? precision.KvCache.Bytes(2L * m.Layers * m.KvWidth) : 0;
        Int128 prefillMacs = 0, prefillBytes = 0, decodeMacs = 0, decodeBytes = 0;
        foreach (var op in workload.Prefill)
        {
            prefillMacs += op.Macs.At(0);
            prefillBytes += op.BytesAt(0, precision);
        }
        foreach (var op in workload.Decode)
        {
            decodeMacs += op.Macs.SumOver(workload.FirstDecodeKv, workload.DecodeSteps);
            decodeBytes += op.BytesOver(workload.FirstDecodeKv, workload.DecodeSteps, precision);
        }
        return new WorkloadSummary(parameters, weightBytes, kvPerToken, prefillMacs, decodeMacs, prefillBytes, decodeBytes,
            workload.Prefill.Count, workload.Decode.Count);
    }
}
