using HwSim.Arch.Fast;
using HwSim.CostModels.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Sweep;

/// <summary>
/// A metric a sweep computes for each point. <see cref="Static"/> metrics depend on the design alone (known before
/// simulating, so constraints on them skip infeasible points without a run); <see cref="Integer"/> ones are exact
/// counts.
/// </summary>
public sealed record SweepMetric(string Name, string Label, bool LowerIsBetter, bool Static = false, bool Integer = false);

/// <summary>The metrics of a sweep point, from the fast simulator's run and the area and energy models.</summary>
public static class SweepMetrics
{
    public static readonly SweepMetric PrefillCycles = new("prefill_cycles", "prefill cycles", true, Integer: true);
    public static readonly SweepMetric DecodeCycles = new("decode_cycles", "decode cycles", true, Integer: true);
    public static readonly SweepMetric TotalCycles = new("total_cycles", "total cycles", true, Integer: true);
    public static readonly SweepMetric LatencyMs = new("latency_ms", "latency (ms)", true);
    public static readonly SweepMetric PrefillMs = new("prefill_ms", "prefill latency (ms)", true);
    public static readonly SweepMetric DecodeMs = new("decode_ms", "decode latency (ms)", true);
    public static readonly SweepMetric EnergyMj = new("energy_mj", "energy (mJ)", true);
    public static readonly SweepMetric AreaMm2 = new("area_mm2", "area (mm²)", true, Static: true);
    public static readonly SweepMetric EdpJs = new("edp_js", "energy-delay product (J·s)", true);
    public static readonly SweepMetric TokensPerS = new("tokens_per_s", "decode throughput (tokens/s)", false);
    public static readonly SweepMetric TokensPerSPerW = new("tokens_per_s_per_w", "decode efficiency (tokens/s/W)", false);
    public static readonly SweepMetric TokensPerSPerMm2 = new("tokens_per_s_per_mm2", "decode throughput per area (tokens/s/mm²)", false);

    public static readonly IReadOnlyList<SweepMetric> All =
        [LatencyMs, PrefillMs, DecodeMs, PrefillCycles, DecodeCycles, TotalCycles, EnergyMj, AreaMm2, EdpJs, TokensPerS, TokensPerSPerW, TokensPerSPerMm2];

    public static SweepMetric? TryFind(string name) => All.FirstOrDefault(m => m.Name == name);

    public static SweepMetric Find(string name, string where) =>
        TryFind(name) ?? throw new InvalidDataException($"{where}: unknown metric '{name}' (expected one of {string.Join(", ", All.Select(m => m.Name))})");

    /// <summary>The metrics known from the design alone.</summary>
    public static Dictionary<SweepMetric, double?> Static(AreaReport area) => new() { [AreaMm2] = area.TotalMm2 };

    /// <summary>
    /// Every metric of a run. Latency is the whole run including the final stores; throughput counts the generated
    /// tokens (batch × generate) over the decode time, and per watt over the decode energy (tokens/s ÷ W = tokens/J);
    /// with no decode step the throughput metrics are empty.
    /// </summary>
    public static Dictionary<SweepMetric, double?> Of(RunResult run, EnergyReport energy, AreaReport area)
    {
        double seconds = run.Milliseconds(run.TotalCycles) / 1000, joules = energy.TotalPicoJoules * 1e-12;
        var w = run.Workload;
        double generated = (double)w.Batch * w.DecodeSteps;
        double decodeSeconds = run.Milliseconds(run.DecodeCycles) / 1000;
        double decodeJoules = energy.PhasePicoJoules(Phase.Decode) * 1e-12;
        double? tokensPerS = generated > 0 && decodeSeconds > 0 ? generated / decodeSeconds : null;
        return new Dictionary<SweepMetric, double?>
        {
            [PrefillCycles] = run.PrefillCycles,
            [DecodeCycles] = run.DecodeCycles,
            [TotalCycles] = run.TotalCycles,
            [LatencyMs] = run.Milliseconds(run.TotalCycles),
            [PrefillMs] = run.Milliseconds(run.PrefillCycles),
            [DecodeMs] = run.Milliseconds(run.DecodeCycles),
            [EnergyMj] = joules * 1e3,
            [AreaMm2] = area.TotalMm2,
            [EdpJs] = joules * seconds,
            [TokensPerS] = tokensPerS,
            [TokensPerSPerW] = generated > 0 && decodeJoules > 0 ? generated / decodeJoules : null,
            [TokensPerSPerMm2] = tokensPerS / area.TotalMm2,
        };
    }
}
