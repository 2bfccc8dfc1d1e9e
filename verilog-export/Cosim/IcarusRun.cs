using HwSim.VerilogExport.Tools;

namespace HwSim.VerilogExport.Cosim;

/// <summary>Compiles the package, a unit and its testbench with Icarus Verilog (-g2012) and runs the simulation.</summary>
internal static class IcarusRun
{
    public static void CompileAndRun(RtlExport export, string workDirectory, string unit, string testbench)
    {
        export.WriteTo(workDirectory);
        File.WriteAllText(Path.Combine(workDirectory, testbench), Rtl.ReferenceRtl.Read(testbench));
        string image = Path.GetFileNameWithoutExtension(testbench) + ".vvp";
        Require(ExternalTool.Run(workDirectory, "iverilog", "-g2012", "-o", image,
            Headers.SystemVerilogPackageWriter.FileName, unit, testbench));
        Require(ExternalTool.Run(workDirectory, "vvp", "-n", image));
    }

    private static void Require(ToolRun run)
    {
        if (!run.Succeeded) throw new InvalidOperationException($"`{run.Command}` failed: {run.Output}");
    }
}
