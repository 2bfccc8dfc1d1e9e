using System.Text.Json.Nodes;
using HwSim.Cli.Results;

namespace HwSim.Cli.Sweep;

/// <summary>
/// A study's results as one table, one row per point in study order: point index and key, design, one column per
/// axis, feasibility, and the kept metrics. Every export (CSV, JSON, Parquet) and the sweep plots read this.
/// </summary>
public sealed record SweepTable(Study Study, IReadOnlyList<string> Axes, IReadOnlyList<SweepRow> Rows)
{
    public static SweepTable Of(Study study, IReadOnlyList<SweepPoint> points, IReadOnlyDictionary<string, SweepRow> stored) =>
        new(study, [.. study.Axes.Select(a => a.Name)], [.. points.Select(p => stored[p.Hash] with { Index = p.Index })]);

    /// <summary>Provenance of the table: this HwSim, and the SHA-256 of the ordered point keys (the resolved inputs of all points).</summary>
    public Provenance Provenance()
    {
        var keys = new JsonArray([.. Rows.Select(r => (JsonNode)JsonValue.Create(r.Hash))]);
        return Results.Provenance.Of(new ProvenanceInputs().Add("points", keys));
    }

    public IReadOnlyList<string> Columns =>
        [.. new[] { "point_index", "point_hash", "design" }.Concat(Axes).Concat(["feasible", "violated"]).Concat(Study.Metrics.Select(m => m.Name)).Append("not_priced")];

    /// <summary>The cells of a row in <see cref="Columns"/> order: integers as long, metrics as double, axis values as their JSON scalars.</summary>
    public IReadOnlyList<object?> Cells(SweepRow row) =>
        [.. new object?[] { row.Index, row.Hash, row.Design }
            .Concat(Axes.Select(a => Scalar(row.Axes[a])))
            .Concat([row.Feasible, row.Violated])
            .Concat(Study.Metrics.Select(m => row.Metrics.GetValueOrDefault(m) is { } v ? (m.Integer ? (object)(long)v : v) : null))
            .Append(row.NotPriced)];

    private static object? Scalar(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out long l) => l,
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => SweepPoint.ValueText(value),
    };
}
