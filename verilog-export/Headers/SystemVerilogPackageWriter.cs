using System.Text;

namespace HwSim.VerilogExport.Headers;

/// <summary>
/// <c>hwsim_params_pkg.sv</c>: a SystemVerilog package of typed localparams (<c>int</c>, <c>longint</c>, and packed
/// <c>logic</c> vectors for tables, element i at [i*NAME_BITS +: NAME_BITS]; signed tables need <c>$signed()</c>).
/// Packed vectors rather than unpacked arrays because Icarus Verilog 11 accepts no array parameters.
/// </summary>
public static class SystemVerilogPackageWriter
{
    public const string FileName = "hwsim_params_pkg.sv";
    public const string PackageName = "hwsim_params_pkg";

    public static string Write(HeaderModel model)
    {
        var text = new StringBuilder();
        foreach (string line in HeaderText.Banner(model, FileName, "SystemVerilog package of the").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            text.AppendLine($"// {line}");
        text.AppendLine("// Element i of a table NAME is NAME[i*NAME_BITS +: NAME_BITS].");
        text.AppendLine("// A parameter package declares more than any one module uses, hence the UNUSEDPARAM waiver.");
        text.AppendLine("/* verilator lint_off UNUSEDPARAM */");
        text.AppendLine($"package {PackageName};");
        foreach (var section in model.Sections)
        {
            text.AppendLine();
            text.AppendLine($"  // ---- {section.Title} ----");
            foreach (var scalar in section.Scalars)
            {
                string type = scalar.Type == ScalarType.Int64 ? "longint" : "int";
                text.AppendLine($"  localparam {type} {scalar.Name} = {HeaderText.VerilogValue(scalar, "")};  // {scalar.Unit}: {scalar.Description}");
            }
            foreach (var table in section.Tables)
            {
                text.AppendLine($"  // {table.Name}: {table.Description} ({table.Unit}, {(table.Signed ? "signed" : "unsigned")} {table.ElementBits}-bit entries)");
                foreach (string row in HeaderText.DecimalRows(table)) text.AppendLine($"  //   {row}");
                text.AppendLine($"  localparam int {table.Name}_COUNT = {table.Values.Count};  // entries");
                text.AppendLine($"  localparam int {table.Name}_BITS = {table.ElementBits};  // bits per entry");
                text.AppendLine($"  localparam logic [{table.Values.Count * table.ElementBits - 1}:0] {table.Name} = {HeaderText.Concatenation(table)};");
            }
        }
        text.AppendLine();
        text.AppendLine("endpackage");
        text.AppendLine("/* verilator lint_on UNUSEDPARAM */");
        return text.ToString();
    }
}
