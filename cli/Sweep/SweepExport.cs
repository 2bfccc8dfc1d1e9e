using System.Globalization;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using HwSim.Cli.Results;

namespace HwSim.Cli.Sweep;

/// <summary>The formats a finished sweep exports to: DIR/results.csv, .json or .parquet.</summary>
public enum SweepExportFormat
{
    Csv,
    Json,
    Parquet,
}

/// <summary>Writes a <see cref="SweepTable"/> as CSV (with provenance columns), JSON (the results envelope) or Parquet.</summary>
public static class SweepExport
{
    public const string Schema = "sweep";
    public const int SchemaVersion = 1;

    public static string FileName(SweepExportFormat format) => "results." + format.ToString().ToLowerInvariant();

    public static void Write(SweepTable table, SweepExportFormat format, string path)
    {
        switch (format)
        {
            case SweepExportFormat.Csv:
                AtomicFile.WriteText(path, Csv(table));
                break;
            case SweepExportFormat.Json:
                AtomicFile.WriteText(path, Json(table));
                break;
            default:
                AtomicFile.Write(path, stream => Parquet(table, stream).GetAwaiter().GetResult());
                break;
        }
    }

    public static string Csv(SweepTable table) =>
        ResultFile.Csv(table.Columns, table.Rows.Select(r => table.Cells(r).Select(v => v is bool b ? (b ? "true" : "false") : v).ToList()), table.Provenance());

    public static string Json(SweepTable table)
    {
        var points = new JsonArray();
        foreach (var row in table.Rows)
        {
            var metrics = new JsonObject();
            foreach (var metric in table.Study.Metrics) metrics[metric.Name] = row.Metrics.GetValueOrDefault(metric) is { } v ? (metric.Integer ? JsonValue.Create((long)v) : JsonValue.Create(v)) : null;
            points.Add(new JsonObject
            {
                ["index"] = row.Index,
                ["hash"] = row.Hash,
                ["design"] = row.Design,
                ["axes"] = row.Axes.DeepClone(),
                ["feasible"] = row.Feasible,
                ["violated"] = row.Violated,
                ["notPriced"] = row.NotPriced,
                ["metrics"] = metrics,
                ["hwsim"] = new JsonObject { ["version"] = row.HwsimVersion, ["commit"] = row.HwsimCommit },
            });
        }
        var result = new JsonObject
        {
            ["study"] = table.Study.Name,
            ["studySha256"] = table.Study.Sha256,
            ["axes"] = new JsonArray([.. table.Axes.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["metrics"] = new JsonArray([.. table.Study.Metrics.Select(m => (JsonNode)JsonValue.Create(m.Name))]),
            ["points"] = points,
        };
        return ResultFile.Json(Schema, SchemaVersion, table.Provenance(), result);
    }

    /// <summary>One row group, one typed column per table column (axes as numbers where every value is one, else text).</summary>
    private static async Task Parquet(SweepTable table, Stream stream)
    {
        var columns = table.Columns;
        var cells = table.Rows.Select(table.Cells).ToList();
        var fields = new List<DataField>();
        var writes = new List<Func<ParquetRowGroupWriter, Task>>();
        for (int c = 0; c < columns.Count; c++)
        {
            var values = cells.Select(r => r[c]).ToList();
            var present = values.Where(v => v is not null).ToList();
            DataField field;
            if (present.Count > 0 && present.All(v => v is long))
            {
                field = new DataField<long?>(columns[c]);
                long?[] data = [.. values.Select(v => (long?)v)];
                writes.Add(async g => await g.WriteAsync<long>(field, data));
            }
            else if (present.Count > 0 && present.All(v => v is long or double))
            {
                field = new DataField<double?>(columns[c]);
                double?[] data = [.. values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture))];
                writes.Add(async g => await g.WriteAsync<double>(field, data));
            }
            else if (present.Count > 0 && present.All(v => v is bool))
            {
                field = new DataField<bool?>(columns[c]);
                bool?[] data = [.. values.Select(v => (bool?)v)];
                writes.Add(async g => await g.WriteAsync<bool>(field, data));
            }
            else
            {
                field = new DataField<string>(columns[c], true);
                string[] data = [.. values.Select(v => v is null ? null! : Convert.ToString(v, CultureInfo.InvariantCulture)!)];
                writes.Add(async g => await g.WriteAsync(field, data));
            }
            fields.Add(field);
        }
        var provenance = table.Provenance();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        writer.CustomMetadata = new Dictionary<string, string>
        {
            ["hwsim_version"] = provenance.Version,
            ["hwsim_commit"] = provenance.Commit,
            ["inputs_sha256"] = provenance.InputsSha256,
        };
        using var group = writer.CreateRowGroup();
        foreach (var write in writes) await write(group);
    }
}
