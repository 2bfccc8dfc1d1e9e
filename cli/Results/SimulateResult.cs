using HwSim.Arch.Fast;
using HwSim.CostModels.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Results;

/// <summary>
/// `hwsim simulate --format json` (schema docs/schemas/simulate.schema.json): the run's totals, per-phase figures
/// and one row per op, with the energy of the cost model (each op's energy sums to the total) and the design's area.
/// Cycles and bytes are exact integers; times in ms, energy in pJ, area in mm².
/// </summary>
public sealed record SimulateResult(
    string Workload,
    string Design,
    DesignSummary Array,
    string Weights,
    string KvCache,
    SimulateTotals Totals,
    IReadOnlyList<PhaseFigures> Phases,
    IReadOnlyList<OpRow> Ops,
    IReadOnlyList<string> NotPriced)
    : ICommandResult<SimulateResult>
{
    public static string Schema => "simulate";
    public static int SchemaVersion => 1;

    public static SimulateResult Of(RunResult run, EnergyReport energy, AreaReport area, string weights)
    {
        var spec = run.Spec;
        long compute = run.Sum(o => o.ComputeCycles), all = run.Sum(o => o.Cycles);
        var totals = new SimulateTotals(run.TotalCycles, run.Milliseconds(run.TotalCycles), run.PrefillCycles, run.DecodeCycles, compute, all - compute,
            run.Sum(o => o.DramReadBytes), run.Sum(o => o.DramWriteBytes), run.Sum(o => o.SramReadBytes), run.Sum(o => o.SramWriteBytes),
            run.ArrayUtilization(), energy.TotalPicoJoules, area.TotalMm2, run.EventsProcessed,
            [.. run.Components.Select(c => new ComponentBusy(c.Name, c.Utilization))]);
        var w = run.Workload;
        var phases = new List<PhaseFigures>
        {
            PhaseFigures.Of(run, energy, "prefill", [Phase.Prefill, Phase.Standalone], run.PrefillCycles, (long)w.Batch * w.Prompt),
            PhaseFigures.Of(run, energy, "decode", [Phase.Decode], run.DecodeCycles, w.Batch * w.DecodeSteps),
        };
        double pes = (double)spec.Array.Rows * spec.Array.Cols;
        var ops = run.Ops.Zip(energy.Ops, (op, e) => new OpRow(op.Op.Layer, op.Op.LocalName, op.Op.Name, op.Op.Kind.ToString().ToLowerInvariant(),
            op.Op.Phase.ToString().ToLowerInvariant(), op.Runs, op.Cycles, op.ComputeCycles, op.StallCycles,
            op.Cycles == 0 ? 0 : op.BusyPeCycles / (pes * op.Cycles), op.DramReadBytes, op.DramWriteBytes, op.SramReadBytes, op.SramWriteBytes,
            op.WeightType, e.TotalPicoJoules)).ToList();
        return new SimulateResult(w.Name, spec.Name, DesignSummary.Of(run), weights, run.Formats.KvCache.Name, totals, phases, ops,
            [.. area.Missing.Concat(energy.Missing)]);
    }

    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "layer", "op", "name", "kind", "phase", "runs", "cycles", "compute_cycles", "stall_cycles", "utilization",
        "dram_read_bytes", "dram_write_bytes", "sram_read_bytes", "sram_write_bytes", "weights", "energy_pj",
    ];

    /// <summary>The CSV form: one row per op.</summary>
    public IEnumerable<IReadOnlyList<object?>> CsvRows() => Ops.Select(o => (IReadOnlyList<object?>)
        [o.Layer, o.Op, o.Name, o.Kind, o.Phase, o.Runs, o.Cycles, o.ComputeCycles, o.StallCycles, o.Utilization,
         o.DramReadBytes, o.DramWriteBytes, o.SramReadBytes, o.SramWriteBytes, o.Weights, o.EnergyPicoJoules]);
}

/// <summary>The array of a design: rows × cols, dataflow, interconnect and clock.</summary>
public sealed record DesignSummary(int Rows, int Cols, string Dataflow, string Interconnect, long ClockMhz)
{
    public static DesignSummary Of(RunResult run) => new(run.Spec.Array.Rows, run.Spec.Array.Cols,
        run.Spec.Array.Dataflow.ToString().ToLowerInvariant(), run.Spec.Array.Interconnect.ToString().ToLowerInvariant(), run.Spec.ClockMhz);
}

/// <summary>
/// The run as a whole. <see cref="Cycles"/> includes the final stores after the last op; prefill and decode cycles
/// are the ops' own. Utilization: busy PE-cycles over all PE-cycles.
/// </summary>
public sealed record SimulateTotals(
    long Cycles,
    double Milliseconds,
    long PrefillCycles,
    long DecodeCycles,
    long ComputeCycles,
    long StallCycles,
    long DramReadBytes,
    long DramWriteBytes,
    long SramReadBytes,
    long SramWriteBytes,
    double ArrayUtilization,
    double EnergyPicoJoules,
    double AreaMm2,
    long KernelEvents,
    IReadOnlyList<ComponentBusy> Busy);

/// <summary>The fraction of the run a unit (compute, DMA, buffer slots, DRAM bus) was busy.</summary>
public sealed record ComponentBusy(string Component, double Utilization);

/// <summary>One phase: its cycles and time, tokens (prompt tokens in prefill, generated tokens in decode) and tokens/s.</summary>
public sealed record PhaseFigures(
    string Phase,
    long Cycles,
    double Milliseconds,
    long Tokens,
    double? TokensPerSecond,
    double ArrayUtilization,
    long ComputeCycles,
    long StallCycles,
    long DramReadBytes,
    long DramWriteBytes,
    double EnergyPicoJoules)
{
    public static PhaseFigures Of(RunResult run, EnergyReport energy, string name, Phase[] phases, long cycles, long tokens)
    {
        var ops = run.Ops.Where(o => phases.Contains(o.Op.Phase)).ToList();
        double ms = run.Milliseconds(cycles);
        long pes = (long)run.Spec.Array.Rows * run.Spec.Array.Cols;
        long opCycles = ops.Sum(o => o.Cycles), compute = ops.Sum(o => o.ComputeCycles);
        return new PhaseFigures(name, cycles, ms, tokens, tokens > 0 && cycles > 0 ? tokens / (ms / 1000) : null,
            opCycles == 0 ? 0 : ops.Sum(o => (double)o.BusyPeCycles) / ((double)opCycles * pes), compute, opCycles - compute,
            ops.Sum(o => o.DramReadBytes), ops.Sum(o => o.DramWriteBytes),
            energy.Ops.Where(o => phases.Contains(o.Op.Phase)).Sum(o => o.TotalPicoJoules));
    }
}

/// <summary>One op summed over its runs (once in prefill, once per decode step). Energy in pJ.</summary>
public sealed record OpRow(
    int Layer,
    string Op,
    string Name,
    string Kind,
    string Phase,
    long Runs,
    long Cycles,
    long ComputeCycles,
    long StallCycles,
    double Utilization,
    long DramReadBytes,
    long DramWriteBytes,
    long SramReadBytes,
    long SramWriteBytes,
    string? Weights,
    double EnergyPicoJoules);
