using System.CommandLine;
using System.Text;
using HwSim.Arch.Plans;
using HwSim.Cli.Results;
using HwSim.VerilogExport;
using HwSim.VerilogExport.Tools;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim export --arch NAME [--plan plan.json] --out DIR [--check]`: writes the SystemVerilog package, the Verilog
/// `define header and the C header of a design, with the reference RTL; --check lints and compiles them.
/// `--verify DIR` writes nothing: it checks the files already in DIR against the design (and plan), naming every
/// differing file and parameter, and exits 1 when any differ. The headers carry CONFIG_HASH, the SHA-256 of the
/// canonical design and plan (<see cref="ConfigHash"/>); `--format json` (docs/schemas/export.schema.json) reports it.
/// </summary>
public static class ExportCommand
{
    public const string Schema = "export";
    public const int SchemaVersion = 1;

    /// <summary>What an export wrote or verified.</summary>
    public sealed record ExportResult(string Design, string Directory, string Mode, string ConfigHash, IReadOnlyList<string> Files, int Parameters, int Tables,
        IReadOnlyList<string> Differences);

    public static Command Create(CliConsole console)
    {
        var design = new DesignOptions(weights: false);
        var output = new Option<string>("--out") { Description = "Directory to write into (created if missing).", DefaultValueFactory = _ => "rtl" };
        var check = new Option<bool>("--check") { Description = "Run verilator --lint-only -Wall, iverilog -g2012 and cc -Wall -Werror on the files and parse them back." };
        var verify = new Option<string?>("--verify") { Description = "Check the files in DIR against the design (and --plan) instead of writing; exit 1 naming each difference." };
        var outputOptions = new OutputOptions(resultFile: false);
        var command = new Command("export", "Write RTL parameter headers (.sv package, .vh, .h) and the reference RTL for a design.");
        design.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(check);
        command.Options.Add(verify);
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string directory = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(directory)) throw new UserInputException("option '--out': the output directory is empty");
            if (File.Exists(directory)) throw new UserInputException($"option '--out': '{directory}' is a file, not a directory");
            var spec = design.Spec(parse);
            var plan = design.LoadPlan(parse);
            var export = RtlExporter.Export(spec, plan);
            string hash = ConfigHash.Sha256(spec, plan);
            var format = outputOptions.FormatOf(parse);
            var writer = console.Writer;
            if (parse.GetValue(verify) is { } existing)
            {
                OptionRules.Reject(parse, "with --verify (it writes nothing)", output, check);
                if (!Directory.Exists(existing)) throw new UserInputException($"option '--verify': directory '{existing}' does not exist");
                var differences = ExportVerifier.Differences(export, existing);
                if (format == OutputFormat.Table)
                {
                    if (differences.Count == 0) writer.WriteLine($"{existing}: matches {spec.Name} (CONFIG_HASH {hash})");
                    foreach (string difference in differences) writer.WriteLine($"  differs: {difference}");
                }
                else Emit(writer, format, Result(spec.Name, existing, "verify", hash, export, differences));
                if (differences.Count == 0) return HwSimCli.ExitOk;
                throw new UserInputException($"{existing}: {differences.Count} difference(s) from {spec.Name} (CONFIG_HASH {hash}): {string.Join("; ", differences.Take(5))}",
                    HwSimCli.ExitFailure);
            }
            Directory.CreateDirectory(directory);
            foreach (var file in export.Files)
                AtomicFile.Write(Path.Combine(directory, file.Name), stream => stream.Write(Encoding.UTF8.GetBytes(file.Text)));
            var removed = ExportManifest.Replace(directory, [.. export.Files.Select(f => f.Name)]);
            if (format == OutputFormat.Table)
            {
                writer.WriteLine($"{spec.Name}: wrote {string.Join(", ", export.Files.Select(f => f.Name))} to {directory}");
                writer.WriteLine($"  {export.Model.Scalars.Count()} parameters, {export.Model.Tables.Count()} tables");
                if (removed.Count > 0) writer.WriteLine($"  removed {string.Join(", ", removed)}, written by the previous export there");
            }
            else
            {
                OptionRules.Reject(parse, $"with --format {format.ToString().ToLowerInvariant()} (run it with the table output)", check);
                Emit(writer, format, Result(spec.Name, directory, "write", hash, export, []));
            }
            if (!parse.GetValue(check)) return HwSimCli.ExitOk;
            return Check(export, writer);
        });
        return command;
    }

    private static ExportResult Result(string design, string directory, string mode, string hash, RtlExport export, IReadOnlyList<string> differences) =>
        new(design, directory, mode, hash, [.. export.Files.Select(f => f.Name)], export.Model.Scalars.Count(), export.Model.Tables.Count(), differences);

    /// <summary>The result as JSON or CSV; its inputs hash is the CONFIG_HASH (same canonical design and plan).</summary>
    private static void Emit(TextWriter writer, OutputFormat format, ExportResult result)
    {
        var provenance = new Provenance(Provenance.ToolVersion, Provenance.ToolCommit, result.ConfigHash);
        writer.Write(format == OutputFormat.Json
            ? ResultFile.Json(Schema, SchemaVersion, provenance, result)
            : ResultFile.Csv(["file", "difference"],
                result.Differences.Count > 0
                    ? result.Differences.Select(d => (IReadOnlyList<object?>)[d.Split(':')[0], d])
                    : result.Files.Select(f => (IReadOnlyList<object?>)[f, ""]), provenance));
    }

    private static int Check(RtlExport export, TextWriter writer)
    {
        string work = Path.Combine(Path.GetTempPath(), $"hwsim-export-check-{Environment.ProcessId}");
        try
        {
            var results = HeaderChecker.Check(export, work);
            foreach (var result in results)
            {
                writer.WriteLine($"  {(result.Passed ? "pass" : "FAIL")}  {result.Name}");
                if (!result.Passed) foreach (string line in result.Detail.Split('\n').Take(20)) writer.WriteLine($"        {line}");
            }
            if (results.All(r => r.Passed)) return HwSimCli.ExitOk;
            throw new UserInputException($"export check failed: {string.Join("; ", results.Where(r => !r.Passed).Select(r => r.Name))}");
        }
        catch (InvalidOperationException e)
        {
            throw new UserInputException($"export check: {e.Message}");
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}
