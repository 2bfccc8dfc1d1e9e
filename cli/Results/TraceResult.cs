using HwSim.Workloads.Analysis;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Results;

/// <summary>
/// `hwsim trace --format json` (schema docs/schemas/trace.schema.json): the workload summary (parameters, bytes, MACs,
/// ops) and the roofline per phase and op kind (MACs, bytes, MACs per byte, bound) on the given machine.
/// </summary>
public sealed record TraceResult(
    string Workload,
    int Batch,
    int Prompt,
    long DecodeSteps,
    long FirstDecodeKv,
    TracePrecision Precision,
    WorkloadSummary Summary,
    TraceMachine Machine,
    IReadOnlyList<RooflineRow> Roofline)
    : ICommandResult<TraceResult>
{
    public static string Schema => "trace";
    public static int SchemaVersion => 1;

    public static TraceResult Of(Workload workload, RooflineMachine machine) =>
        new(workload.Name, workload.Batch, workload.Prompt, workload.DecodeSteps, workload.FirstDecodeKv,
            new TracePrecision(workload.Precision.Weights.ToString(), workload.Precision.Activations.ToString(), workload.Precision.KvCache.ToString()),
            WorkloadSummary.Of(workload), new TraceMachine(machine.PeakMacsPerCycle, machine.BytesPerCycle, machine.RidgeMacsPerByte),
            RooflineRow.Of(workload, machine));

    public static IReadOnlyList<string> CsvColumns { get; } = ["phase", "kv", "op_kind", "ops", "macs", "bytes", "macs_per_byte", "compute_bound_ops"];

    public IEnumerable<IReadOnlyList<object?>> CsvRows() => Roofline.Select(r => (IReadOnlyList<object?>)
        [r.Phase, r.Kv, r.OpKind, r.Ops, r.Macs, r.Bytes, r.MacsPerByte, r.ComputeBoundOps]);
}

public sealed record TracePrecision(string Weights, string Activations, string KvCache);

public sealed record TraceMachine(long PeakMacsPerCycle, long BytesPerCycle, double RidgeMacsPerByte);

/// <summary>
/// One op kind in one phase (prefill, or the first decode step at KV length <see cref="Kv"/>): its MACs and bytes,
/// their ratio (null without bytes) and how many of its ops are compute-bound on the machine.
/// </summary>
public sealed record RooflineRow(string Phase, long Kv, string OpKind, int Ops, long Macs, long Bytes, double? MacsPerByte, int ComputeBoundOps)
{
    public string Bound => ComputeBoundOps == Ops ? "compute" : ComputeBoundOps == 0 ? "memory" : "mixed";

    public static IReadOnlyList<RooflineRow> Of(Workload workload, RooflineMachine machine)
    {
        var phases = new List<(string, IReadOnlyList<TraceOp>, long)> { ("prefill", workload.Prefill, 0) };
        if (workload.DecodeSteps > 0) phases.Add(("decode", workload.Decode, workload.FirstDecodeKv));
        var rows = new List<RooflineRow>();
        foreach (var (phase, ops, kv) in phases)
        {
            foreach (var group in ops.Select(o => Roofline.Classify(o, kv, workload.Precision, machine)).GroupBy(r => r.Op.Kind))
            {
                long macs = group.Sum(r => r.Macs), bytes = group.Sum(r => r.Bytes);
                rows.Add(new RooflineRow(phase, kv, group.Key.ToString().ToLowerInvariant(), group.Count(), macs, bytes, bytes == 0 ? null : (double)macs / bytes,
                    group.Count(r => r.Bound == Workloads.Analysis.Bound.Compute)));
            }
        }
        return rows;
    }
}
