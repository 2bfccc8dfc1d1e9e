using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;

namespace HwSim.Cli.Results;

/// <summary>
/// `hwsim simulate --scalesim-config --format json` (schema docs/schemas/scalesim.schema.json): SCALE-Sim's
/// COMPUTE_REPORT rows (cycles as integers, percentages 0..100).
/// </summary>
public sealed record ScaleSimResult(int Rows, int Cols, string Dataflow, IReadOnlyList<ScaleSimLayer> Layers)
    : ICommandResult<ScaleSimResult>
{
    public static string Schema => "scalesim";
    public static int SchemaVersion => 1;

    public static ScaleSimResult Of(AcceleratorSpec spec, IEnumerable<ComputeReportRow> rows) =>
        new(spec.Array.Rows, spec.Array.Cols, spec.Array.Dataflow.ToString().ToLowerInvariant(),
            [.. rows.Select(r => new ScaleSimLayer(r.Layer, r.TotalCycles, r.StallCycles, r.OverallUtilPercent, r.MappingEfficiencyPercent, r.ComputeUtilPercent))]);

    public static IReadOnlyList<string> CsvColumns { get; } =
        ["layer", "total_cycles", "stall_cycles", "overall_util_percent", "mapping_efficiency_percent", "compute_util_percent"];

    public IEnumerable<IReadOnlyList<object?>> CsvRows() => Layers.Select(l => (IReadOnlyList<object?>)
        [l.Layer, l.TotalCycles, l.StallCycles, l.OverallUtilPercent, l.MappingEfficiencyPercent, l.ComputeUtilPercent]);
}

public sealed record ScaleSimLayer(string Layer, long TotalCycles, long StallCycles, double OverallUtilPercent, double MappingEfficiencyPercent, double ComputeUtilPercent);
