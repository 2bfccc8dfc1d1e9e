using HwSim.VerilogExport.Headers;

namespace HwSim.VerilogExport;

/// <summary>
/// Checks a directory of exported files against the export of the design they should describe: each header is parsed
/// back and compared parameter by parameter (CONFIG_HASH among them), each reference RTL file compared as text.
/// </summary>
public static class ExportVerifier
{
    /// <summary>Every difference as one line naming the file and, for headers, the parameter; empty when all match.</summary>
    public static IReadOnlyList<string> Differences(RtlExport export, string directory)
    {
        var problems = new List<string>();
        foreach (var file in export.Files)
        {
            string path = Path.Combine(directory, file.Name);
            if (!File.Exists(path))
            {
                problems.Add($"{file.Name}: missing");
                continue;
            }
            string text = File.ReadAllText(path);
            if (Parser(file.Name) is { } parse) problems.AddRange(Compare(export.Model, parse(text), file.Name));
            else if (text != file.Text) problems.Add($"{file.Name}: differs from the reference RTL of this version");
        }
        return problems;
    }

    private static IEnumerable<string> Compare(HeaderModel model, IReadOnlyDictionary<string, long[]> parsed, string file)
    {
        var bitsOf = model.Tables.ToDictionary(t => t.Name, t => t.ElementBits);
        var values = model.Values();
        foreach (var (name, expected) in values)
        {
            if (!parsed.TryGetValue(name, out var actual))
            {
                yield return $"{file}: {name} is missing";
                continue;
            }
            // Table elements compare as bit patterns: the Verilog files write them unsigned, the C header signed.
            ulong mask = bitsOf.TryGetValue(name, out int bits) ? HeaderText.Mask(bits) : ulong.MaxValue;
            if (actual.Length != expected.Count || actual.Where((v, i) => ((ulong)v & mask) != ((ulong)expected[i] & mask)).Any())
                yield return $"{file}: {name} is {Text(actual)} in the file, {Text(expected)} for the design";
        }
        foreach (string name in parsed.Keys.Where(n => !values.ContainsKey(n)))
            yield return $"{file}: {name} is not a parameter of the design";
    }

    private static string Text(IReadOnlyList<long> values) => values.Count == 1 ? $"{values[0]}" : $"[{string.Join(", ", values)}]";

    private static Func<string, Dictionary<string, long[]>>? Parser(string fileName) => fileName switch
    {
        SystemVerilogPackageWriter.FileName => HeaderParser.ParsePackage,
        VerilogHeaderWriter.FileName => HeaderParser.ParseVerilogHeader,
        CHeaderWriter.FileName => HeaderParser.ParseCHeader,
        _ => null,
    };
}
