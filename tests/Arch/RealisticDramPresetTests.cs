using HwSim.Arch.Fast;
using HwSim.Arch.Memory;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

/// <summary>
/// The realistic-DRAM variants of "bitmod-gen": the same design with DDR4-3200 latency and row misses (simple model)
/// or one HBM2 channel (banked model), while the paper presets keep the authors' bandwidth-only pricing.
/// </summary>
public class RealisticDramPresetTests
{
    private static readonly AcceleratorSpec Paper = Presets.Find("bitmod-gen")!;

    [Theory]
    [InlineData("bitmod-gen-ddr4")]
    [InlineData("bitmod-gen-hbm2")]
    public void OnlyTheDramDiffersFromThePaperDesign(string name)
    {
        var variant = Presets.Find(name)!;
        Assert.NotEqual(Paper.Dram, variant.Dram);
        var normalized = variant with { Name = Paper.Name, Description = Paper.Description, Source = Paper.Source, Dram = Paper.Dram };
        Assert.Equal(AcceleratorSpecJson.Write(Paper), AcceleratorSpecJson.Write(normalized));
        Assert.Equal(new SimpleDramSpec(BytesPerCycle: 32), Paper.Dram);
    }

    [Fact]
    public void Ddr4TimingsAreTheSpeedBinsInAcceleratorCycles()
    {
        // DDR4-3200AA (JESD79-4): tCK 0.625 ns, CL = tRCD = tRP = 22, BL8 = 4 tCK; the design runs at 1 GHz.
        const double tckNs = 0.625, acceleratorNs = 1.0;
        var dram = Assert.IsType<SimpleDramSpec>(Presets.Find("bitmod-gen-ddr4")!.Dram);
        Assert.Equal((int)Math.Ceiling((22 + 4) * tckNs / acceleratorNs), dram.LatencyCycles);
        Assert.Equal((int)Math.Ceiling((22 + 22) * tckNs / acceleratorNs), dram.RowMissPenaltyCycles);
        Assert.Equal(8 * 1024, dram.RowBufferBytes); // eight x8 chips of 1 KiB page
        Assert.Equal(32, dram.BytesPerCycle);
        // One HBM2 channel moves a 64-byte burst in 2 cycles of 1 ns: 32 bytes per 1 GHz cycle, the paper's bandwidth.
        var hbm = Assert.IsType<BankedDramSpec>(Presets.Find("bitmod-gen-hbm2")!.Dram);
        Assert.Equal(32, hbm.BurstBytes / hbm.BurstCycles * hbm.ClockMhz / Paper.ClockMhz);
    }

    [Fact]
    public void RealisticDramSlowsTheMemoryBoundDecode()
    {
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 32, 3));
        long Decode(string name)
        {
            var spec = Presets.Find(name)!;
            return FastSimulator.Run(spec, workload, RunFormats.Default(spec)).DecodeCycles;
        }
        long paper = Decode("bitmod-gen");
        Assert.True(Decode("bitmod-gen-ddr4") > paper);
        Assert.True(Decode("bitmod-gen-hbm2") > paper);
    }
}
