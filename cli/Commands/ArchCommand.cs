using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HwSim.Arch.Spec;
using HwSim.Cli.Results;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim arch [NAME]`: lists the presets, or prints one as accelerator JSON to start a description from. With
/// `--format json` (docs/schemas/arch.schema.json) the list is <c>{"presets": [...]}</c> and a design
/// <c>{"design": {...}}</c>; with `--format csv` the list is one row per preset and a design one row per field
/// (path, value).
/// </summary>
public static class ArchCommand
{
    public const string Schema = "arch";
    public const int SchemaVersion = 1;

    /// <summary>One preset of the listing.</summary>
    public sealed record PresetRow(string Name, int Rows, int Cols, string Description);

    public static Command Create(CliConsole console)
    {
        var name = new Argument<string?>("name") { Description = "A preset or accelerator JSON file to print.", Arity = ArgumentArity.ZeroOrOne };
        var outputOptions = new OutputOptions();
        var command = new Command("arch", "List the accelerator presets, or print one as JSON.") { name };
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(name) is { } which)
            {
                var spec = DesignOptions.LoadArch(which);
                var node = JsonSerializer.SerializeToNode(spec, StrictJson.Options)!;
                // `arch NAME --out my.json` writes the description itself, ready for --arch; the envelope takes --format json.
                if (!OptionRules.Given(parse, outputOptions.Format) && outputOptions.OutOf(parse) is { } file)
                {
                    AtomicFile.WriteText(file.FullName, AcceleratorSpecJson.Write(spec));
                    return HwSimCli.ExitOk;
                }
                outputOptions.Write(parse, console, table => table.Profile.Out.Writer.Write(AcceleratorSpecJson.Write(spec)), format =>
                {
                    var provenance = Provenance.Of(new ProvenanceInputs().Add("design", node));
                    return format == OutputFormat.Json
                        ? ResultFile.Json(Schema, SchemaVersion, provenance, new JsonObject { ["design"] = node.DeepClone() })
                        : ResultFile.Csv(["path", "value"], Flatten(node, "").Select(p => (IReadOnlyList<object?>)[p.Path, p.Value]), provenance);
                });
                return HwSimCli.ExitOk;
            }
            var rows = Presets.All.Select(p => new PresetRow(p.Name, p.Array.Rows, p.Array.Cols, p.Description)).ToList();
            outputOptions.Write(parse, console, table =>
            {
                foreach (var row in rows) table.Profile.Out.Writer.WriteLine($"{row.Name,-18} {row.Rows}x{row.Cols} {row.Description}");
            }, format =>
            {
                var provenance = Provenance.Of(new ProvenanceInputs().Add("presets", new JsonArray([.. Presets.All.Select(p => JsonSerializer.SerializeToNode(p, StrictJson.Options))])));
                return format == OutputFormat.Json
                    ? ResultFile.Json(Schema, SchemaVersion, provenance, new { Presets = rows })
                    : ResultFile.Csv(["name", "rows", "cols", "description"], rows.Select(r => (IReadOnlyList<object?>)[r.Name, r.Rows, r.Cols, r.Description]), provenance);
            });
            return HwSimCli.ExitOk;
        });
        return command;
    }

    /// <summary>Every leaf of <paramref name="node"/> as (JSON path, value text), e.g. ("array.rows", "32"), ("buffers[0].name", "wbuf").</summary>
    private static IEnumerable<(string Path, string Value)> Flatten(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => Flatten(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((e, i) => Flatten(e, $"{path}[{i}]")),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [(path, v.GetValue<string>())],
        null => [(path, "")],
        _ => [(path, node.ToJsonString())],
    };
}
