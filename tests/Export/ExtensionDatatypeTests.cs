using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.CostModels.Models;
using HwSim.CostModels;
using HwSim.Numerics.Registry;
using HwSim.Tests.Cli;
using HwSim.VerilogExport.Headers;
using HwSim.VerilogExport.Tools;
using HwSim.VerilogExport;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Export;

/// <summary>
/// Datatypes added through the registry alone (MXFP4, NVFP4, INT4 with groups of 64) run in every tool: the fast
/// simulator, the area and energy models, the RTL headers and their checks, and the command line.
/// </summary>
public sealed class ExtensionDatatypeTests : TemporaryDirectory
{
    private static readonly string[] NewTypes = ["mxfp4", "nvfp4", "int4-g64"];
    private static readonly Workload Small = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 64, 4));

    /// <summary>BitMoD's term-serial PE listing the new datatypes beside bitmod4 (every one at most 2 NAF terms).</summary>
    private static AcceleratorSpec TermSerial()
    {
        var bitmod = Presets.Find("bitmod")!;
        return bitmod with { Name = "new-types", Pe = bitmod.Pe with { WeightTypes = [.. NewTypes, "bitmod4"] }, DefaultWeights = "mxfp4" };
    }

    /// <summary>A plain bit-parallel integer PE with no paper PE family: priced as Bit Fusion's fixed-point PE.</summary>
    private static AcceleratorSpec BitParallel()
    {
        var spec = Presets.Find("int8-systolic")!;
        return spec with { Name = "new-types-bp", Pe = spec.Pe with { WeightTypes = NewTypes }, DefaultWeights = "nvfp4" };
    }

    [Fact]
    public void TheFastSimulatorRunsThemWithTheirBitsAndTerms()
    {
        var spec = TermSerial();
        Assert.Null(AcceleratorSpecValidator.Validate(spec));
        var runs = NewTypes.Append("bitmod4").ToDictionary(t => t, t => FastSimulator.Run(spec, Small, RunFormats.Default(spec, t)));
        // Every one takes 2 terms per weight (E2M1 in halves: 3 = 4 − 1, 6 = 8 − 2; INT4: 7 = 8 − 1), as BitMoD FP4.
        long busy = runs["bitmod4"].Sum(o => o.BusyPeCycles);
        Assert.All(NewTypes, t => Assert.Equal(busy, runs[t].Sum(o => o.BusyPeCycles)));
        // Weight traffic follows the stored bits: bitmod4 4.0625 < mxfp4 = int4-g64 4.25 < nvfp4 4.5.
        long Dram(string t) => runs[t].Sum(o => o.DramReadBytes);
        Assert.Equal(Dram("mxfp4"), Dram("int4-g64"));
        Assert.True(Dram("bitmod4") < Dram("mxfp4"));
        Assert.True(Dram("mxfp4") < Dram("nvfp4"));
    }

    [Fact]
    public void TheCostModelsPriceThem()
    {
        var costs = new CostModelOptions().Lookup();
        foreach (var spec in new[] { TermSerial(), BitParallel() })
        {
            var area = AreaModel.Of(spec, costs);
            Assert.Empty(area.Missing);
            Assert.True(area.TotalUm2 > 0);
            var energy = EnergyModel.Of(FastSimulator.Run(spec, Small, RunFormats.Default(spec)), costs);
            Assert.True(energy.TotalPicoJoules > 0);
            Assert.Equal(energy.TotalPicoJoules, energy.ByComponentPicoJoules.Values.Sum(), energy.TotalPicoJoules * 1e-12);
        }
        Assert.Equal(new PeCostItem("pe_bitmod", null, 1), PeCostItem.For(TermSerial(), costs.Table));
        // Widest operand: INT8 activations over 4-bit weights; one multiplier per dot-product lane (Bit Fusion).
        var bp = BitParallel();
        Assert.Equal(new PeCostItem("pe_fixed", 8, bp.Pe.DotProductWidth), PeCostItem.For(bp, costs.Table));
        Assert.All(NewTypes, t => Assert.Equal(0, AreaModel.SupportAreaUm2(bp, t, costs)));
    }

    [Fact]
    public void TheHeadersCarryTheirIdsBitsCyclesAndTablesAndPassTheTools()
    {
        var spec = TermSerial() with { Pe = TermSerial().Pe with { WeightTypes = NewTypes } };
        var export = RtlExporter.Export(spec);
        var results = HeaderChecker.Check(export, TempPath);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Detail}"));
        Assert.Contains(results, r => r.Name.StartsWith("verilator lint", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Name.StartsWith("iverilog", StringComparison.Ordinal));

        var values = HeaderParser.ParseCHeader(export.Text(CHeaderWriter.FileName));
        long Scalar(string name) => values[name][0];
        // Appended ids (DatatypeIds): mxfp4 17, nvfp4 23, int4-g64 24, so 25 ids are enumerated.
        Assert.Equal((17, 23, 24, 25), (Scalar("WTYPE_MXFP4"), Scalar("WTYPE_NVFP4"), Scalar("WTYPE_INT4_G64"), Scalar("NUM_WTYPES")));
        Assert.Equal((1L << 17) | (1L << 23) | (1L << 24), Scalar("PE_WEIGHT_TYPES_MASK"));
        Assert.Equal(17, Scalar("PE_DEFAULT_WTYPE"));
        Assert.Equal((4, 32, 8), (values["WTYPE_STORAGE_BITS"][17], values["WTYPE_GROUP_SIZE"][17], values["WTYPE_GROUP_OVERHEAD_BITS"][17]));
        Assert.Equal((4, 16, 8), (values["WTYPE_STORAGE_BITS"][23], values["WTYPE_GROUP_SIZE"][23], values["WTYPE_GROUP_OVERHEAD_BITS"][23]));
        Assert.Equal((4, 64, 16), (values["WTYPE_STORAGE_BITS"][24], values["WTYPE_GROUP_SIZE"][24], values["WTYPE_GROUP_OVERHEAD_BITS"][24]));
        Assert.Equal([2, 2, 2], new[] { 17, 23, 24 }.Select(id => values["PE_CYCLES_PER_STEP"][id]));
        // E2M1 by code, sign-magnitude, in halves: 0, 0.5, 1, 1.5, 2, 3, 4, 6 and their negatives ("-0" reads 0).
        Assert.Equal([0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12], values["FP4_E2M1_DECODE"]);
        Assert.Equal(5, Scalar("PE_WEIGHT_VALUE_BITS"));
    }

    [Fact]
    public void TheCommandsRunADescriptionListingThem()
    {
        string arch = Path.Combine(TempPath, "new-types.json");
        File.WriteAllText(arch, AcceleratorSpecJson.Write(TermSerial()));
        foreach (string weights in NewTypes)
        {
            var (exit, output, error) = CliRunner.Run("simulate", "--arch", arch, "--weights", weights, "--model", "opt-1.3b", "--prompt", "32", "--generate", "2");
            Assert.True(exit == 0, error);
            Assert.Contains("decode", output);
        }
        var cost = CliRunner.Run("cost", "--arch", arch, "--model", "opt-1.3b", "--prompt", "32", "--generate", "2", "--weights", "nvfp4");
        Assert.True(cost.ExitCode == 0, cost.Error);
        var export = CliRunner.Run("export", "--arch", arch, "--out", Path.Combine(TempPath, "rtl"));
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("WTYPE_INT4_G64 = 24;", File.ReadAllText(Path.Combine(TempPath, "rtl", SystemVerilogPackageWriter.FileName)));
    }

    [Fact]
    public void AFloatingPointDatatypeOnASerialPeIsOneLineNamingTheField()
    {
        var spec = TermSerial() with { Pe = TermSerial().Pe with { WeightTypes = ["mxfp4", "fp16"] } };
        Assert.StartsWith("pe.weightTypes[1]: 'fp16' is floating point", AcceleratorSpecValidator.Validate(spec));
    }

    [Fact]
    public void ANameWithoutAStableIdIsSimulatedButNotExported()
    {
        var spec = TermSerial() with { Pe = TermSerial().Pe with { WeightTypes = ["mxfp4", "int4-g16"] } };
        Assert.Null(AcceleratorSpecValidator.Validate(spec));
        Assert.True(FastSimulator.Run(spec, Small, RunFormats.Default(spec, "int4-g16")).Sum(o => o.BusyPeCycles) > 0);
        Assert.StartsWith("pe.weightTypes[1]: 'int4-g16' has no stable header id",
            Assert.Throws<InvalidDataException>(() => RtlExporter.Export(spec)).Message);
    }
}
