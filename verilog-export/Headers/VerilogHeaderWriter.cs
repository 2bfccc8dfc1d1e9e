using System.Text;

namespace HwSim.VerilogExport.Headers;

/// <summary>
/// <c>hwsim_params.vh</c>: Verilog-2001 <c>`define</c>s (prefix HWSIM_) for flows without SystemVerilog packages;
/// tables are sized concatenations, element 0 in the least significant bits.
/// </summary>
public static class VerilogHeaderWriter
{
    public const string FileName = "hwsim_params.vh";
    public const string Prefix = "HWSIM_";

    public static string Write(HeaderModel model)
    {
        var text = new StringBuilder();
        foreach (string line in HeaderText.Banner(model, FileName, "Verilog-2001 `define").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            text.AppendLine($"// {line}");
        text.AppendLine("`ifndef HWSIM_PARAMS_VH");
        text.AppendLine("`define HWSIM_PARAMS_VH");
        foreach (var section in model.Sections)
        {
            text.AppendLine();
            text.AppendLine($"// ---- {section.Title} ----");
            foreach (var scalar in section.Scalars)
            {
                text.AppendLine($"// {scalar.Unit}: {scalar.Description}");
                text.AppendLine($"`define {Prefix}{scalar.Name} {HeaderText.VerilogValue(scalar, "`" + Prefix)}");
            }
            foreach (var table in section.Tables)
            {
                text.AppendLine($"// {table.Name}: {table.Description} ({table.Unit}, {(table.Signed ? "signed" : "unsigned")} {table.ElementBits}-bit entries)");
                foreach (string row in HeaderText.DecimalRows(table)) text.AppendLine($"//   {row}");
                text.AppendLine($"`define {Prefix}{table.Name}_COUNT {table.Values.Count}");
                text.AppendLine($"`define {Prefix}{table.Name}_BITS {table.ElementBits}");
                text.AppendLine($"`define {Prefix}{table.Name} {HeaderText.Concatenation(table)}");
            }
        }
        text.AppendLine();
        text.AppendLine("`endif  // HWSIM_PARAMS_VH");
        return text.ToString();
    }
}
