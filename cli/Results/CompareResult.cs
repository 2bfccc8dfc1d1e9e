using HwSim.Arch.Reference;
using HwSim.Cli.Commands;
using HwSim.CostModels.Models;
using HwSim.CostModels.Tables;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Results;

/// <summary>
/// `hwsim simulate --compare --format json` (schema docs/schemas/compare.schema.json): per design its cycles and
/// latency (prefill + decode, as the table), speedup over the first design, energy (pJ) from the cost model, area
/// (mm²), energy-delay product (J·s), and throughput in generated tokens: decode tokens/s, per watt of decode power
/// (= tokens per joule) and per mm².
/// </summary>
public sealed record CompareResult(string Workload, long Batch, long Prompt, long Generate, string Baseline, IReadOnlyList<CompareDesign> Designs)
    : ICommandResult<CompareResult>
{
    public static string Schema => "compare";
    public static int SchemaVersion => 1;

    public static CompareResult Of(Workload workload, IReadOnlyList<CompareRun> runs, CostLookup costs)
    {
        var baseline = runs[0];
        var bitmod = CompareTable.Bitmod(runs);
        var paper = PaperReference.BitMoD;
        var designs = runs.Select(run =>
        {
            var r = run.Result;
            var energy = EnergyModel.Of(r, costs);
            double areaMm2 = AreaModel.Of(r.Spec, costs).TotalMm2;
            long cycles = run.Cycles(null);
            double seconds = r.Milliseconds(cycles) / 1000, decodeSeconds = r.Milliseconds(r.DecodeCycles) / 1000;
            double joules = energy.TotalPicoJoules / 1e12, decodeJoules = energy.PhasePicoJoules(Phase.Decode) / 1e12;
            long generated = workload.Batch * workload.DecodeSteps;
            double? tokensPerSecond = generated > 0 && decodeSeconds > 0 ? generated / decodeSeconds : null;
            BitmodSpeedup? over = bitmod is null || ReferenceEquals(bitmod, run) ? null
                : new(CompareTable.SpeedupOver(bitmod, run, Phase.Prefill), CompareTable.SpeedupOver(bitmod, run, Phase.Decode), CompareTable.SpeedupOver(bitmod, run, null));
            string? published = run.PaperWeights && paper.SpeedupOver(r.Spec.Name) is { } row ? row.Text : null;
            return new CompareDesign(run.Label, r.Spec.Name, DesignSummary.Of(r), r.Formats.Prefill.Bytes.EffectiveBits, r.Formats.Decode.Bytes.EffectiveBits,
                r.PrefillCycles, r.DecodeCycles, cycles, r.Milliseconds(cycles), (double)baseline.Cycles(null) / cycles, over, published,
                energy.TotalPicoJoules, energy.PhasePicoJoules(Phase.Prefill), energy.PhasePicoJoules(Phase.Decode), areaMm2, joules * seconds,
                tokensPerSecond, tokensPerSecond is null || decodeJoules == 0 ? null : generated / decodeJoules,
                tokensPerSecond / areaMm2);
        }).ToList();
        return new CompareResult(workload.Name, workload.Batch, workload.Prompt, workload.Generate, baseline.Label, designs);
    }

    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "label", "design", "rows", "cols", "weight_bits_prefill", "weight_bits_decode", "prefill_cycles", "decode_cycles", "cycles", "latency_ms",
        "speedup", "bitmod_over_prefill", "bitmod_over_decode", "bitmod_over_total", "paper", "energy_pj", "prefill_energy_pj", "decode_energy_pj",
        "area_mm2", "edp_joule_seconds", "decode_tokens_per_second", "tokens_per_second_per_watt", "tokens_per_second_per_mm2",
    ];

    public IEnumerable<IReadOnlyList<object?>> CsvRows() => Designs.Select(d => (IReadOnlyList<object?>)
        [d.Label, d.Design, d.Array.Rows, d.Array.Cols, d.WeightBitsPrefill, d.WeightBitsDecode, d.PrefillCycles, d.DecodeCycles, d.Cycles,
         d.LatencyMs, d.Speedup, d.BitmodSpeedupOver?.Prefill, d.BitmodSpeedupOver?.Decode, d.BitmodSpeedupOver?.Total, d.Paper,
         d.EnergyPicoJoules, d.PrefillEnergyPicoJoules, d.DecodeEnergyPicoJoules, d.AreaMm2, d.EdpJouleSeconds, d.DecodeTokensPerSecond,
         d.TokensPerSecondPerWatt, d.TokensPerSecondPerMm2]);
}

/// <summary>BitMoD's speedup over a design (its cycles over BitMoD's) in prefill, decode and both.</summary>
public sealed record BitmodSpeedup(double Prefill, double Decode, double Total);

/// <summary>One design of a comparison.</summary>
public sealed record CompareDesign(
    string Label,
    string Design,
    DesignSummary Array,
    double WeightBitsPrefill,
    double WeightBitsDecode,
    long PrefillCycles,
    long DecodeCycles,
    long Cycles,
    double LatencyMs,
    double Speedup,
    BitmodSpeedup? BitmodSpeedupOver,
    string? Paper,
    double EnergyPicoJoules,
    double PrefillEnergyPicoJoules,
    double DecodeEnergyPicoJoules,
    double AreaMm2,
    double EdpJouleSeconds,
    double? DecodeTokensPerSecond,
    double? TokensPerSecondPerWatt,
    double? TokensPerSecondPerMm2);
