using System.Text;

namespace HwSim.VerilogExport.Headers;

/// <summary>
/// <c>hwsim_params.h</c>: the same values for firmware and drivers, as <c>&lt;stdint.h&gt;</c>-typed macros with an
/// include guard. Tables are brace initializers in index order (<c>HWSIM_NAME_INIT</c>) with an element typedef, so
/// a file that does not use a table pays nothing and no unused-variable warning fires. Operand typedefs name the
/// PE's activation, weight and accumulator widths.
/// </summary>
public static class CHeaderWriter
{
    public const string FileName = "hwsim_params.h";
    public const string Prefix = "HWSIM_";

    public static string Write(HeaderModel model)
    {
        var text = new StringBuilder();
        text.AppendLine("/*");
        foreach (string line in HeaderText.Banner(model, FileName, "C").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            text.AppendLine($" * {line}");
        text.AppendLine(" */");
        text.AppendLine("#ifndef HWSIM_PARAMS_H");
        text.AppendLine("#define HWSIM_PARAMS_H");
        text.AppendLine();
        text.AppendLine("#include <stdint.h>");
        foreach (var section in model.Sections)
        {
            text.AppendLine();
            text.AppendLine($"/* ---- {section.Title} ---- */");
            foreach (var scalar in section.Scalars)
                text.AppendLine($"#define {Prefix}{scalar.Name} {Value(scalar)} /* {scalar.Unit}: {Comment(scalar.Description)} */");
            foreach (var table in section.Tables)
            {
                string type = ElementType(table);
                text.AppendLine($"/* {table.Name}: {Comment(table.Description)} ({table.Unit}) */");
                text.AppendLine($"#define {Prefix}{table.Name}_COUNT INT32_C({table.Values.Count}) /* entries */");
                text.AppendLine($"#define {Prefix}{table.Name}_BITS INT32_C({table.ElementBits}) /* bits per entry */");
                text.AppendLine($"typedef {type} hwsim_{table.Name.ToLowerInvariant()}_elem_t;");
                text.AppendLine($"#define {Prefix}{table.Name}_INIT {{ {string.Join(", ", table.Values.Select(HeaderText.Decimal))} }}");
            }
        }
        text.AppendLine();
        text.AppendLine("/* ---- Operand types at the PE ports ---- */");
        var values = model.Values();
        text.AppendLine($"typedef {IntegerType(values["PE_ACTIVATION_BITS"][0], true)} hwsim_activation_t; /* PE_ACTIVATION_BITS bits */");
        text.AppendLine($"typedef {IntegerType(values["PE_WEIGHT_VALUE_BITS"][0], true)} hwsim_weight_t; /* PE_WEIGHT_VALUE_BITS bits */");
        text.AppendLine($"typedef {IntegerType(values["PE_ACCUMULATOR_BITS"][0], true)} hwsim_accumulator_t; /* PE_ACCUMULATOR_BITS bits */");
        text.AppendLine();
        text.AppendLine("#endif /* HWSIM_PARAMS_H */");
        return text.ToString();
    }

    private static string Value(HeaderScalar scalar)
    {
        if (scalar.Symbol is not null) return Prefix + scalar.Symbol;
        return scalar.Type == ScalarType.Int64 ? $"INT64_C({HeaderText.Decimal(scalar.Value)})" : $"INT32_C({HeaderText.Decimal(scalar.Value)})";
    }

    private static string ElementType(HeaderTable table) => IntegerType(table.ElementBits, table.Signed);

    /// <summary>The narrowest &lt;stdint.h&gt; type of at least <paramref name="bits"/> bits.</summary>
    public static string IntegerType(long bits, bool signed)
    {
        int width = bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 32 ? 32 : bits <= 64 ? 64
            : throw new InvalidDataException($"{bits}-bit values have no <stdint.h> type");
        return signed ? $"int{width}_t" : $"uint{width}_t";
    }

    // A description must not close the C comment it sits in.
    private static string Comment(string text) => text.Replace("*/", "* /", StringComparison.Ordinal);
}
