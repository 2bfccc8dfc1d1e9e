using HwSim.CostModels.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Results;

/// <summary>
/// `hwsim cost --format json` (schema docs/schemas/cost.schema.json): area by component (µm², mm² total), energy of
/// the run by component and per token (pJ), the per-event energies, the run's latency beside them, and per-op energy.
/// </summary>
public sealed record CostResult(
    string Design,
    string Workload,
    double NodeNm,
    double Vdd,
    CostLatency Latency,
    CostArea Area,
    CostEnergy Energy,
    IReadOnlyList<CostOp> Ops,
    IReadOnlyList<string> NotPriced)
    : ICommandResult<CostResult>
{
    public static string Schema => "cost";
    public static int SchemaVersion => 1;

    public static CostResult Of(AreaReport area, EnergyReport energy, double vdd)
    {
        var run = energy.Run;
        var w = run.Workload;
        long promptTokens = (long)w.Batch * w.Prompt, generated = w.Batch * w.DecodeSteps;
        var prefill = energy.ByComponent(Phase.Prefill);
        var decode = energy.ByComponent(Phase.Decode);
        var components = energy.ByComponentPicoJoules.OrderByDescending(p => p.Value).Select(p => new CostEnergyComponent(p.Key, p.Value,
            prefill.GetValueOrDefault(p.Key), decode.GetValueOrDefault(p.Key),
            PerToken(prefill.GetValueOrDefault(p.Key), promptTokens), PerToken(decode.GetValueOrDefault(p.Key), generated))).ToList();
        double total = energy.TotalPicoJoules;
        return new CostResult(run.Spec.Name, w.Name, area.NodeNm, vdd,
            new CostLatency(run.TotalCycles, run.Milliseconds(run.TotalCycles), run.PrefillCycles, run.DecodeCycles),
            new CostArea([.. area.Lines.Select(l => new CostAreaLine(l.Component, l.Count, l.EachUm2, l.TotalUm2, l.Source))], area.TotalUm2, area.TotalMm2),
            new CostEnergy(components, total, energy.PhasePicoJoules(Phase.Prefill), energy.PhasePicoJoules(Phase.Decode),
                PerToken(energy.PhasePicoJoules(Phase.Prefill), promptTokens), PerToken(energy.PhasePicoJoules(Phase.Decode), generated),
                energy.PerEventPicoJoules),
            [.. energy.Ops.Select(o => new CostOp(o.Op.Layer, o.Op.LocalName, o.Op.Name, o.Op.Phase.ToString().ToLowerInvariant(), o.TotalPicoJoules, o.ByComponentPicoJoules))],
            [.. area.Missing.Concat(energy.Missing)]);
    }

    private static double? PerToken(double picoJoules, long tokens) => tokens == 0 ? null : picoJoules / tokens;

    /// <summary>The CSV form, one row per value: section (area, energy, energy_per_event, latency), item, quantity, value, unit.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = ["section", "item", "quantity", "value", "unit"];

    public IEnumerable<IReadOnlyList<object?>> CsvRows()
    {
        yield return ["latency", "run", "cycles", Latency.Cycles, "cycles"];
        yield return ["latency", "run", "prefill_cycles", Latency.PrefillCycles, "cycles"];
        yield return ["latency", "run", "decode_cycles", Latency.DecodeCycles, "cycles"];
        yield return ["latency", "run", "milliseconds", Latency.Milliseconds, "ms"];
        foreach (var line in Area.Lines)
        {
            yield return ["area", line.Component, "count", line.Count, "count"];
            yield return ["area", line.Component, "each", line.EachUm2, "um2"];
            yield return ["area", line.Component, "total", line.TotalUm2, "um2"];
        }
        yield return ["area", "total", "total", Area.TotalUm2, "um2"];
        foreach (var c in Energy.Components)
        {
            yield return ["energy", c.Component, "total", c.TotalPicoJoules, "pJ"];
            yield return ["energy", c.Component, "prefill", c.PrefillPicoJoules, "pJ"];
            yield return ["energy", c.Component, "decode", c.DecodePicoJoules, "pJ"];
        }
        yield return ["energy", "total", "total", Energy.TotalPicoJoules, "pJ"];
        yield return ["energy", "total", "prefill", Energy.PrefillPicoJoules, "pJ"];
        yield return ["energy", "total", "decode", Energy.DecodePicoJoules, "pJ"];
        foreach (var (name, picoJoules) in Energy.PerEventPicoJoules) yield return ["energy_per_event", name, "each", picoJoules, "pJ"];
    }
}

/// <summary>The run's latency: cycles (including the final stores) and ms, and each phase's op cycles.</summary>
public sealed record CostLatency(long Cycles, double Milliseconds, long PrefillCycles, long DecodeCycles);

public sealed record CostArea(IReadOnlyList<CostAreaLine> Lines, double TotalUm2, double TotalMm2);

public sealed record CostAreaLine(string Component, long Count, double EachUm2, double TotalUm2, string Source);

/// <summary>Energy totals in pJ; per token: prefill per prompt token, decode per generated token (null without tokens).</summary>
public sealed record CostEnergy(
    IReadOnlyList<CostEnergyComponent> Components,
    double TotalPicoJoules,
    double PrefillPicoJoules,
    double DecodePicoJoules,
    double? PerPromptTokenPicoJoules,
    double? PerGeneratedTokenPicoJoules,
    IReadOnlyDictionary<string, double> PerEventPicoJoules);

public sealed record CostEnergyComponent(
    string Component,
    double TotalPicoJoules,
    double PrefillPicoJoules,
    double DecodePicoJoules,
    double? PerPromptTokenPicoJoules,
    double? PerGeneratedTokenPicoJoules);

public sealed record CostOp(int Layer, string Op, string Name, string Phase, double TotalPicoJoules, IReadOnlyDictionary<string, double> ByComponentPicoJoules);
