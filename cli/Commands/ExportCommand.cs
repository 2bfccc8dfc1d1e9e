using System.CommandLine;
using System.Text;
using HwSim.VerilogExport;
using HwSim.VerilogExport.Tools;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim export --arch NAME [--plan plan.json] --out DIR [--check]`: writes the SystemVerilog package, the Verilog
/// `define header and the C header of a design, with the reference RTL; --check lints and compiles them.
/// </summary>
public static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var design = new DesignOptions(weights: false);
        var output = new Option<string>("--out") { Description = "Directory to write into (created if missing).", DefaultValueFactory = _ => "rtl" };
        var check = new Option<bool>("--check") { Description = "Run verilator --lint-only -Wall, iverilog -g2012 and cc -Wall -Werror on the files and parse them back." };
        var command = new Command("export", "Write RTL parameter headers (.sv package, .vh, .h) and the reference RTL for a design.");
        design.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(check);
        command.SetAction(parse =>
        {
            string directory = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(directory)) throw new UserInputException("option '--out': the output directory is empty");
            if (File.Exists(directory)) throw new UserInputException($"option '--out': '{directory}' is a file, not a directory");
            var spec = design.Spec(parse);
            var export = RtlExporter.Export(spec, design.LoadPlan(parse));
            Directory.CreateDirectory(directory);
            foreach (var file in export.Files)
                AtomicFile.Write(Path.Combine(directory, file.Name), stream => stream.Write(Encoding.UTF8.GetBytes(file.Text)));
            var removed = ExportManifest.Replace(directory, [.. export.Files.Select(f => f.Name)]);
            var writer = console.Out.Profile.Out.Writer;
            writer.WriteLine($"{spec.Name}: wrote {string.Join(", ", export.Files.Select(f => f.Name))} to {directory}");
            writer.WriteLine($"  {export.Model.Scalars.Count()} parameters, {export.Model.Tables.Count()} tables");
            if (removed.Count > 0) writer.WriteLine($"  removed {string.Join(", ", removed)}, written by the previous export there");
            if (!parse.GetValue(check)) return HwSimCli.ExitOk;
            return Check(export, writer);
        });
        return command;
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
