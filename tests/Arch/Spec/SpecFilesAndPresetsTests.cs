using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch.Spec;

/// <summary>
/// Descriptions loaded from files (messages name the file, not its directory), the clock in hertz at the edge of
/// 64 bits, and what the presets say about themselves: each has its own description and cites its source, and a
/// description that quotes the paper's "h × w" shape agrees with the array (paper h output channels = columns,
/// w tokens = rows; BitMoD Sec. V).
/// </summary>
public sealed class SpecFilesAndPresetsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hwsim-spec-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LoadReadsTheFileAndNamesItByItsFileName()
    {
        var bitmod = Presets.Find("bitmod")!;
        string path = Path.Combine(directory, "mine.json");
        File.WriteAllText(path, AcceleratorSpecJson.Write(bitmod));
        Assert.Equal(AcceleratorSpecJson.Write(bitmod), AcceleratorSpecJson.Write(AcceleratorSpecJson.Load(path)));
        File.WriteAllText(path, AcceleratorSpecJson.Write(bitmod with { ClockMhz = 0 }));
        Assert.Equal("mine.json: clockMhz: must be in 1 .. 1000000 (got 0)", Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Load(path)).Message);
        // Read without a source names the default file.
        Assert.StartsWith("accelerator.json: clockMhz: ", Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(File.ReadAllText(path))).Message);
    }

    [Fact]
    public void ClockInHertzOverflowsLoudly()
    {
        // 9,223,372,036,854 MHz is the last clock whose hertz fit a long (2^63 − 1 = 9,223,372,036,854,775,807).
        var bitmod = Presets.Find("bitmod")!;
        Assert.Equal(9_223_372_036_854_000_000, (bitmod with { ClockMhz = 9_223_372_036_854 }).ClockHz);
        Assert.Throws<OverflowException>(() => (bitmod with { ClockMhz = 9_223_372_036_855 }).ClockHz);
    }

    [Fact]
    public void PresetsAreListedInOrderEachDescribedAndSourced()
    {
        Assert.Equal(
        [
            "fp16-baseline", "fp16-baseline-gen", "ant", "ant-gen", "olive", "olive-gen", "bitmod", "bitmod-gen", "int8-systolic",
            "bitmod-gen-ddr4", "bitmod-gen-hbm2",
        ], Presets.Names);
        Assert.Null(Presets.Find("bitmod-9"));
        Assert.All(Presets.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), p.Name));
        Assert.Equal(Presets.All.Count, Presets.All.Select(p => p.Description).Distinct().Count());
        const string paper = "BitMoD (Chen et al., HPCA 2025) Sec. V; simulator abdelfattah-lab/BitMoD-HPCA-25 @e445a5f bitmod_sim/";
        Assert.All(Presets.All.Where(p => p.Name != "int8-systolic"), p => Assert.StartsWith(paper, p.Source));
        Assert.Equal("Jouppi et al., In-Datacenter Performance Analysis of a Tensor Processing Unit, ISCA 2017", Presets.Find("int8-systolic")!.Source);
        // The DRAM variants add the parts their timings come from.
        Assert.Equal(paper + "; DRAM timings: JEDEC JESD79-4 DDR4-3200AA (CL = tRCD = tRP = 22 tCK of 0.625 ns) as in " +
            "DRAMSim3 configs/DDR4_8Gb_x8_3200.ini and Ramulator 2 DDR4.cpp", Presets.Find("bitmod-gen-ddr4")!.Source);
        Assert.Equal(paper + "; DRAM: one HBM2 channel (JEDEC JESD235), timings of DRAMSim3 configs/HBM2_8Gb_x128.ini",
            Presets.Find("bitmod-gen-hbm2")!.Source);
        Assert.Contains("DDR4-3200", Presets.Find("bitmod-gen-ddr4")!.Description);
        Assert.Contains("HBM2", Presets.Find("bitmod-gen-hbm2")!.Description);
    }

    [Theory]
    [InlineData("fp16-baseline-gen", "paper 64x12")]
    [InlineData("ant-gen", "paper 64x16")]
    [InlineData("olive-gen", "paper 72x16")]
    [InlineData("bitmod-gen", "paper 64x16")]
    [InlineData("bitmod", "discriminative 32x32")]
    public void AShapeQuotedInADescriptionIsTheArrays(string name, string quoted)
    {
        var preset = Presets.Find(name)!;
        Assert.Contains($"({quoted}", preset.Description);
        string[] hw = quoted.Split(' ')[1].Split('x');
        Assert.Equal((int.Parse(hw[0]), int.Parse(hw[1])), (preset.Array.Cols, preset.Array.Rows));
    }
}
