using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using HwSim.Arch.Pe;
using HwSim.Numerics.Registry;
using Spectre.Console;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim datatypes [NAME...]`: the datatype registry. Each datatype with its family, stable header id, stored bits
/// per weight, the PE kinds that run it, and its cycles per dot-product step on each kind at 1 bit / 1 term per cycle;
/// parametric families are listed by their canonical instances and their name grammar (name any instance to see it).
/// </summary>
public static class DatatypesCommand
{
    /// <summary>One PE of each registered kind at its slowest rate: 1 bit (bit-serial) or 1 term (term-serial) per cycle.</summary>
    private static readonly IReadOnlyList<PeSpec> Kinds = PeSpec.References();

    /// <summary>One row of the listing (also its CSV and JSON form).</summary>
    public sealed record Row(string Name, string Family, int? StableId, string StoredBits, double BitsPerWeight,
        IReadOnlyList<string> PeKinds, IReadOnlyDictionary<string, int?> CyclesPerStep, string? Decoder, string? NotIntegerReason);

    public static Command Create(CliConsole console)
    {
        var names = new Argument<string[]>("names") { Description = "Datatypes to list (default: every family's canonical instances).", Arity = ArgumentArity.ZeroOrMore };
        var outputOptions = new OutputOptions();
        var command = new Command("datatypes", "List the weight datatypes: bits, family, stable id, which PE kinds run them, cycles per step.") { names };
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string[] requested = parse.GetValue(names) ?? [];
            var datatypes = requested.Length == 0 ? WeightDatatypes.All : [.. requested.Select(WeightDatatypes.Get)];
            var rows = datatypes.Select(Describe).ToList();
            outputOptions.Write(parse, console, table => WriteTable(table, rows), format =>
            {
                var provenance = Provenance.Of(new ProvenanceInputs().Add("datatypes", new JsonArray([.. rows.Select(r => (JsonNode?)r.Name)])));
                return format == OutputFormat.Json
                    ? ResultFile.Json(Schema, SchemaVersion, provenance, new { Datatypes = rows })
                    : ResultFile.Csv(CsvColumns, rows.Select(CsvRow), provenance);
            });
            return HwSimCli.ExitOk;
        });
        return command;
    }

    public static Row Describe(WeightDatatype datatype)
    {
        var cycles = new Dictionary<string, int?>();
        foreach (var pe in Kinds) cycles[pe.Model.Name] = pe.CannotExecute(datatype) is null ? pe.CyclesPerStep(datatype) : null;
        var storage = datatype.Storage;
        string stored = storage.GroupSize == 0 ? $"{storage.ElementBits}" : $"{storage.ElementBits} + {storage.GroupOverheadBits}/{storage.GroupSize}";
        return new Row(datatype.Name, datatype.Family, WeightDatatypes.StableId(datatype.Name), stored, storage.EffectiveBits,
            [.. cycles.Where(c => c.Value is not null).Select(c => c.Key)], cycles, datatype.Decoder?.Name, datatype.NotIntegerReason);
    }

    private static void WriteTable(IAnsiConsole console, IReadOnlyList<Row> rows)
    {
        var table = new Table().Title("weight datatypes (cycles per step at 1 bit or 1 term per cycle; - : the kind cannot run it)")
            .AddColumn("datatype").AddColumn("family").AddColumn(new TableColumn("id").RightAligned()).AddColumn("stored bits")
            .AddColumn(new TableColumn("bits/weight").RightAligned()).AddColumn("decoder");
        foreach (var pe in Kinds) table.AddColumn(new TableColumn(pe.Model.Name).RightAligned());
        foreach (var row in rows)
        {
            var cells = new List<string>
            {
                row.Name, row.Family, row.StableId?.ToString(CultureInfo.InvariantCulture) ?? "-", row.StoredBits,
                row.BitsPerWeight.ToString("0.####", CultureInfo.InvariantCulture), row.Decoder ?? "-",
            };
            cells.AddRange(row.CyclesPerStep.Values.Select(c => c?.ToString(CultureInfo.InvariantCulture) ?? "-"));
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }
        console.Write(table);
        console.WriteLine("names:");
        foreach (var family in WeightDatatypes.Families) console.WriteLine($"  {family.Name,-10} {family.Grammar}");
    }

    /// <summary>The JSON schema of `--format json` (docs/schemas/datatypes.schema.json): <c>{"datatypes": [Row...]}</c>.</summary>
    public const string Schema = "datatypes";
    public const int SchemaVersion = 1;

    private static IReadOnlyList<string> CsvColumns =>
        ["datatype", "family", "id", "stored_bits", "bits_per_weight", "decoder", .. Kinds.Select(k => $"cycles_{k.Model.Name}")];

    private static IReadOnlyList<object?> CsvRow(Row row) =>
        [row.Name, row.Family, row.StableId, row.StoredBits, row.BitsPerWeight, row.Decoder, .. row.CyclesPerStep.Values.Select(c => (object?)c)];
}
