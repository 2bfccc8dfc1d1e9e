using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.VerilogExport.Headers;

namespace HwSim.VerilogExport;

/// <summary>One generated file: its name and text.</summary>
public sealed record ExportedFile(string Name, string Text);

/// <summary>
/// The export of one design: the three parameter headers, and the reference RTL that is parameterized by the
/// package (<see cref="ReferenceRtl"/>).
/// </summary>
public sealed record RtlExport(HeaderModel Model, IReadOnlyList<ExportedFile> Headers, IReadOnlyList<ExportedFile> ReferenceRtl)
{
    public IEnumerable<ExportedFile> Files => Headers.Concat(ReferenceRtl);

    public string Text(string fileName) => Files.First(f => f.Name == fileName).Text;

    /// <summary>Writes every file into <paramref name="directory"/> (created if missing), for the tools to read.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Files) File.WriteAllText(Path.Combine(directory, file.Name), file.Text);
    }
}

/// <summary>The public entry point of verilog-export: accelerator description (+ plan) → headers and reference RTL.</summary>
public static class RtlExporter
{
    public static RtlExport Export(AcceleratorSpec spec, PrecisionPlan? plan = null)
    {
        var model = HeaderModelBuilder.Build(spec, plan);

        return new RtlExport(model,
        [
            new(SystemVerilogPackageWriter.FileName, SystemVerilogPackageWriter.Write(model)),
            new(VerilogHeaderWriter.FileName, VerilogHeaderWriter.Write(model)),
            new(CHeaderWriter.FileName, CHeaderWriter.Write(model)),
        ],
        [.. Rtl.ReferenceRtl.FileNames.Where(name => Applies(name, spec, model)).Select(name => new ExportedFile(name, Rtl.ReferenceRtl.Read(name)))]);
    }

    /// <summary>
    /// The PE is an integer datapath, so it ships only with designs that run integer weights (not the FP16
    /// baseline); the OVP pair decoder reads the OVP4 tables, which only designs that run ovp4 export.
    /// </summary>
    private static bool Applies(string rtlFile, AcceleratorSpec spec, HeaderModel model) => rtlFile switch
    {
        Rtl.ReferenceRtl.Pe => spec.Pe.WeightTypes.Any(name => WeightDatatypes.Get(name).IsInteger),
        Rtl.ReferenceRtl.OvpPairDecoder => model.Values().ContainsKey("OVP4_ABFLOAT_DECODE"),
        _ => true,
    };
}
