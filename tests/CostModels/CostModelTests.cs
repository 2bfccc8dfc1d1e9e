using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.CostModels;
using HwSim.CostModels.Models;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.CostModels;

public sealed class CostModelTests
{
    private static readonly Workload Small = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 64, 4));

    [Theory]
    [InlineData("bitmod")]
    [InlineData("olive")]
    [InlineData("fp16-baseline")]
    [InlineData("int8-systolic")]
    public void TheEnergyBreakdownSumsToTheTotal(string preset)
    {
        var spec = Presets.Find(preset)!;
        var run = FastSimulator.Run(spec, Small, RunFormats.Default(spec));
        var energy = EnergyModel.Of(run, new CostModelOptions().Lookup());
        double total = energy.TotalPicoJoules;
        Assert.True(total > 0);
        Assert.Equal(total, energy.ByComponentPicoJoules.Values.Sum(), total * 1e-12);
        Assert.Equal(total, energy.PhasePicoJoules(Phase.Prefill) + energy.PhasePicoJoules(Phase.Decode), total * 1e-12);
        Assert.Equal(run.Ops.Count, energy.Ops.Count);
    }

    [Fact]
    public void EnergyIsEventCountsTimesPerEventEnergies()
    {
        var spec = Presets.Find("bitmod")!;
        var run = FastSimulator.Run(spec, Small, RunFormats.Default(spec));
        var energy = EnergyModel.Of(run, new CostModelOptions().Lookup()).ByComponentPicoJoules;
        // BitMoD PE 0.56 pJ per cycle at 28 nm; DRAM 1200 pJ per 64 bits (BitMoD Sec. V).
        Assert.Equal(run.Sum(o => o.BusyPeCycles) * 0.56, energy[EnergyModel.Pe], 1e-3);
        Assert.Equal(run.Sum(o => o.DramReadBytes + o.DramWriteBytes) * 150.0, energy[EnergyModel.Dram], 1e-3);
    }

    [Fact]
    public void TheBitmodArrayAreaMatchesThePapersTiles()
    {
        var area = AreaModel.Of(Presets.Find("bitmod")!, new CostModelOptions().Lookup());
        // BitMoD Table X: a tile of 8x8 PEs is 97,090 um^2 plus a 2,419 um^2 encoder; the 32x32 array has 16 tiles.
        double paper = 16 * (97_090 + 2_419);
        double ours = area.Lines.Where(l => l.Component is "PE array" or "bitmod-dequant decoders").Sum(l => l.TotalUm2);
        Assert.InRange(ours / paper, 0.99, 1.01);
        var placeAndRoute = area.Lines.Single(l => l.Component.StartsWith("place and route", StringComparison.Ordinal));
        double logic = area.Lines.TakeWhile(l => l != placeAndRoute).Sum(l => l.TotalUm2);
        Assert.Equal(0.5 * logic, placeAndRoute.TotalUm2, 1e-6);
        Assert.Empty(area.Missing);
    }

    [Fact]
    public void ComponentsWithoutCostDataAreListedNotSilentlyZero()
    {
        var area = AreaModel.Of(Presets.Find("ant")!, new CostModelOptions().Lookup());
        Assert.Contains(area.Missing, m => m.StartsWith("flint decoder", StringComparison.Ordinal));
    }

    [Fact]
    public void SramAreaScalesWithTheNode()
    {
        var spec = Presets.Find("bitmod")!;
        double at28 = AreaModel.Of(spec, new CostModelOptions(28).Lookup()).TotalUm2;
        double at7 = AreaModel.Of(spec, new CostModelOptions(7).Lookup()).TotalUm2;
        Assert.InRange(at7 / at28, 0.05, 0.5);
    }
}
