using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HwSim.Cli.Results;

/// <summary>
/// The documents commands write with <c>--format json|csv</c>. JSON: one object
/// <c>{"schema": "hwsim.NAME", "schemaVersion": N, "hwsim": {"version", "commit"}, "inputsSha256", "result": ...}</c>
/// whose <c>result</c> follows the command's schema in <c>docs/schemas/NAME.schema.json</c>. CSV: a header row and
/// one row per record, with the provenance in three trailing columns (<c>hwsim_version</c>, <c>hwsim_commit</c>,
/// <c>inputs_sha256</c>) so that every row stays traceable when rows of many runs are concatenated.
/// </summary>
public static class ResultFile
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new FiniteDouble() },
    };

    /// <summary>JSON has no infinity or NaN: such a value (e.g. the SQNR of an exact quantization) is written as null.</summary>
    private sealed class FiniteDouble : System.Text.Json.Serialization.JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }

        public override bool HandleNull => true;
    }

    /// <summary>The document of a command's result in <paramref name="format"/> (JSON or CSV; not table).</summary>
    public static string Document<T>(OutputFormat format, Provenance provenance, T result) where T : ICommandResult<T> => format switch
    {
        OutputFormat.Json => Json(T.Schema, T.SchemaVersion, provenance, result),
        OutputFormat.Csv => Csv(T.CsvColumns, result.CsvRows(), provenance),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "a table is not a result document"),
    };

    /// <summary>The JSON document for <paramref name="result"/> (serialized with <see cref="JsonOptions"/>).</summary>
    public static string Json<T>(string schema, int schemaVersion, Provenance provenance, T result) =>
        Json(schema, schemaVersion, provenance, JsonSerializer.SerializeToNode(result, JsonOptions));

    public static string Json(string schema, int schemaVersion, Provenance provenance, JsonNode? result)
    {
        var document = new JsonObject
        {
            ["schema"] = $"hwsim.{schema}",
            ["schemaVersion"] = schemaVersion,
            ["hwsim"] = new JsonObject { ["version"] = provenance.Version, ["commit"] = provenance.Commit },
            ["inputsSha256"] = provenance.InputsSha256,
            ["result"] = result,
        };
        return document.ToJsonString(JsonOptions) + "\n";
    }

    /// <summary>
    /// CSV (RFC 4180: comma-separated, quoted when needed, \n line ends) of <paramref name="rows"/> under
    /// <paramref name="columns"/>, with the provenance columns appended. Numbers are written invariantly and in full
    /// ("R" round-trip form for doubles).
    /// </summary>
    public static string Csv(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, Provenance provenance)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Concat(["hwsim_version", "hwsim_commit", "inputs_sha256"]).Select(Field)).Append('\n');
        foreach (var row in rows)
        {
            if (row.Count != columns.Count) throw new ArgumentException($"CSV row has {row.Count} fields for {columns.Count} columns");
            text.AppendJoin(',', row.Select(Field).Concat([provenance.Version, provenance.Commit, provenance.InputsSha256])).Append('\n');
        }
        return text.ToString();
    }

    private static string Field(object? value)
    {
        string text = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
