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
            if (Parser(file.Name) is { } parse) problems.AddRange(HeaderRoundTrip.Differences(export.Model, parse(text), file.Name));
            else if (text != file.Text) problems.Add($"{file.Name}: differs from the reference RTL of this version");
        }
        return problems;
    }

    private static Func<string, Dictionary<string, long[]>>? Parser(string fileName) => fileName switch
    {
        SystemVerilogPackageWriter.FileName => HeaderParser.ParsePackage,
        VerilogHeaderWriter.FileName => HeaderParser.ParseVerilogHeader,
        CHeaderWriter.FileName => HeaderParser.ParseCHeader,
        _ => null,
    };
}
