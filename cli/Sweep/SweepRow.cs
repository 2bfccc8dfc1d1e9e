using System.Text.Json.Nodes;

namespace HwSim.Cli.Sweep;

/// <summary>
/// One point's stored result: its key and axis values, whether it met the study's constraints (and the first it did
/// not), cost items the tables could not price, every metric (empty for a point rejected before simulating, or a
/// throughput without decode), and the provenance of the run that computed it.
/// </summary>
public sealed record SweepRow(
    string Hash,
    long Index,
    string Design,
    JsonObject Axes,
    bool Feasible,
    string? Violated,
    string? NotPriced,
    IReadOnlyDictionary<SweepMetric, double?> Metrics,
    JsonObject Inputs,
    string HwsimVersion,
    string HwsimCommit);
