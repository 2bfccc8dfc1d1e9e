using System.Text;
using HwSim.VerilogExport.Headers;

namespace HwSim.VerilogExport.Tools;

/// <summary>One check of an export: its name, whether it passed, and the tool output when it did not.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail);

/// <summary>
/// Checks an export with the real tools: Verilator lint (-Wall) and Icarus Verilog (-g2012) on the package with the
/// reference RTL and on the `define header, the C compiler (-Wall -Wextra -Werror) on the C header, and each
/// header parsed back against the model. The probes reference every value, so every macro must expand to a legal
/// expression and the C compiler itself asserts each scalar's value.
/// </summary>
public static class HeaderChecker
{
    public static IReadOnlyList<CheckResult> Check(RtlExport export, string workDirectory)
    {
        export.WriteTo(workDirectory);
        File.WriteAllText(Path.Combine(workDirectory, VhProbe + ".sv"), VerilogHeaderProbe(export.Model));
        File.WriteAllText(Path.Combine(workDirectory, PackageProbe + ".sv"),
            $"module {PackageProbe};\n  import {SystemVerilogPackageWriter.PackageName}::*;\nendmodule\n");
        File.WriteAllText(Path.Combine(workDirectory, "hwsim_params_probe.c"), CProbe(export.Model));

        string package = SystemVerilogPackageWriter.FileName;
        var rtl = export.ReferenceRtl.Select(f => f.Name).ToArray();
        var results = new List<CheckResult>
        {
            RoundTrip(export, package, HeaderParser.ParsePackage),
            RoundTrip(export, VerilogHeaderWriter.FileName, HeaderParser.ParseVerilogHeader),
            RoundTrip(export, CHeaderWriter.FileName, HeaderParser.ParseCHeader),
        };
        results.Add(Tool($"verilator lint {package}", workDirectory, "verilator",
            "--lint-only", "-Wall", "--top-module", PackageProbe, package, PackageProbe + ".sv"));
        foreach (string module in rtl)
            results.Add(Tool($"verilator lint {package} + {module}", workDirectory, "verilator",
                "--lint-only", "-Wall", "--top-module", Path.GetFileNameWithoutExtension(module), package, module));
        results.Add(Tool($"verilator lint {VerilogHeaderWriter.FileName}", workDirectory, "verilator",
            "--lint-only", "-Wall", "--top-module", VhProbe, VhProbe + ".sv"));
        results.Add(Tool($"iverilog -g2012 {package} + reference RTL", workDirectory, "iverilog",
            ["-g2012", "-o", "/dev/null", package, PackageProbe + ".sv", .. rtl]));
        results.Add(Tool($"iverilog -g2012 {VerilogHeaderWriter.FileName}", workDirectory, "iverilog",
            "-g2012", "-o", "/dev/null", VhProbe + ".sv"));
        results.Add(Tool($"cc -Wall -Wextra -Werror {CHeaderWriter.FileName}", workDirectory, "cc",
            "-std=c11", "-Wall", "-Wextra", "-Werror", "-c", "-o", "/dev/null", "hwsim_params_probe.c"));
        return results;
    }

    private const string VhProbe = "hwsim_params_vh_probe";
    private const string PackageProbe = "hwsim_params_pkg_probe";

    private static CheckResult RoundTrip(RtlExport export, string file, Func<string, Dictionary<string, long[]>> parse)
    {
        var differences = HeaderRoundTrip.Differences(export.Model, parse(export.Text(file)), file);
        return new CheckResult($"round trip {file}", differences.Count == 0, string.Join("\n", differences));
    }

    private static CheckResult Tool(string name, string directory, string program, params string[] arguments)
    {
        var run = ExternalTool.Run(directory, program, arguments);
        return new CheckResult(name, run.Succeeded, run.Output);
    }

    /// <summary>A Verilog-2001 module giving every `define to a localparam of its own width.</summary>
    private static string VerilogHeaderProbe(HeaderModel model)
    {
        var text = new StringBuilder();
        text.AppendLine($"`include \"{VerilogHeaderWriter.FileName}\"");
        text.AppendLine("/* verilator lint_off UNUSEDPARAM */");
        text.AppendLine($"module {VhProbe};");
        foreach (var scalar in model.Scalars)
            text.AppendLine($"  localparam [63:0] P_{scalar.Name} = `HWSIM_{scalar.Name};");
        foreach (var table in model.Tables)
            text.AppendLine($"  localparam [{table.Values.Count * table.ElementBits - 1}:0] P_{table.Name} = `HWSIM_{table.Name};");
        text.AppendLine("endmodule");
        text.AppendLine("/* verilator lint_on UNUSEDPARAM */");
        return text.ToString();
    }

    /// <summary>A C file in which the compiler asserts every scalar and sizes every table initializer.</summary>
    private static string CProbe(HeaderModel model)
    {
        var text = new StringBuilder();
        text.AppendLine($"#include \"{CHeaderWriter.FileName}\"");
        text.AppendLine($"#include \"{CHeaderWriter.FileName}\" /* the include guard makes a second include harmless */");
        foreach (var scalar in model.Scalars)
            text.AppendLine($"_Static_assert(HWSIM_{scalar.Name} == INT64_C({scalar.Value}), \"{scalar.Name}\");");
        foreach (var table in model.Tables)
        {
            string lower = table.Name.ToLowerInvariant();
            text.AppendLine($"const hwsim_{lower}_elem_t probe_{lower}[HWSIM_{table.Name}_COUNT] = HWSIM_{table.Name}_INIT;");
        }
        text.AppendLine("const hwsim_activation_t probe_activation = 0;");
        text.AppendLine("const hwsim_weight_t probe_weight = 0;");
        text.AppendLine("const hwsim_accumulator_t probe_accumulator = 0;");
        return text.ToString();
    }
}
