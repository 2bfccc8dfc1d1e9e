using HwSim.Arch.Demo;

namespace HwSim.Tests.Arch;

/// <summary>
/// The demo pipeline's validation at the edges of each bound, with its messages word for word. The horizon bound is
/// worked out by hand: with P = C = 1 the run can reach min(MaxCycles, 2 (Items + 1)) + 2 cycles, which at a clock of
/// f Hz end at floor(cycles · 10^12 / f) ps, and that must not pass 2^63 − 1 ps.
/// </summary>
public sealed class FifoPipelineSpecTests
{
    private const long Terahertz = 1_000_000_000_000;

    [Theory]
    [InlineData(1L)]
    [InlineData(Terahertz)]
    public void ClocksFromOneHertzToOneTerahertzAreValid(long clockHz) =>
        Assert.Null(new FifoPipelineSpec(Items: 10, ClockHz: clockHz).Validate());

    [Theory]
    [InlineData(0L)]
    [InlineData(Terahertz + 1)]
    public void ClocksOutsideOneHertzToOneTerahertzAreRejected(long clockHz) =>
        Assert.Equal($"ClockHz: must be in 1 Hz .. 1 THz (got {clockHz})", new FifoPipelineSpec(Items: 10, ClockHz: clockHz).Validate());

    [Fact]
    public void MaxCyclesMustBeAtLeastOne()
    {
        Assert.Null(new FifoPipelineSpec(Items: 10, MaxCycles: 1).Validate());
        Assert.Equal("MaxCycles: must be at least 1 (got 0)", new FifoPipelineSpec(Items: 10, MaxCycles: 0).Validate());
    }

    [Fact]
    public void AtOneTerahertzTheStopBoundsTheHorizonToTheLastPicosecond()
    {
        // Items large enough that MaxCycles is the smaller bound: horizon = MaxCycles + 2 cycles = as many ps.
        const long items = long.MaxValue / 2;
        Assert.Null(new FifoPipelineSpec(items, 1, 1, 4, Terahertz, MaxCycles: long.MaxValue - 2).Validate());
        Assert.Equal(
            $"Items x (ProducerCyclesPerItem + ConsumerCyclesPerItem): the run could last {(Int128)long.MaxValue + 1} cycles, past the simulator's time range of 2^63 - 1 ps at {Terahertz} Hz",
            new FifoPipelineSpec(items, 1, 1, 4, Terahertz, MaxCycles: long.MaxValue - 1).Validate());
    }

    [Fact]
    public void WithoutAStopTheItemsBoundTheHorizon()
    {
        // 2 (Items + 1) + 2 cycles: 2^63 − 2 for Items = 2^62 − 3 (valid), 2^63 for Items = 2^62 − 2 (past the range).
        Assert.Null(new FifoPipelineSpec((1L << 62) - 3, 1, 1, 4, Terahertz).Validate());
        Assert.Equal(
            $"Items x (ProducerCyclesPerItem + ConsumerCyclesPerItem): the run could last {(Int128)1 << 63} cycles, past the simulator's time range of 2^63 - 1 ps at {Terahertz} Hz",
            new FifoPipelineSpec((1L << 62) - 2, 1, 1, 4, Terahertz).Validate());
    }

    [Fact]
    public void AtOneGigahertzAHorizonEndsAtItsCyclesTimesAThousandPicoseconds()
    {
        // (MaxCycles + 2) · 1000 ps: 9,223,372,036,854,775,000 fits below 2^63 − 1; one cycle more does not.
        const long items = long.MaxValue / 2;
        Assert.Null(new FifoPipelineSpec(items, 1, 1, 4, 1_000_000_000, MaxCycles: 9_223_372_036_854_773).Validate());
        Assert.NotNull(new FifoPipelineSpec(items, 1, 1, 4, 1_000_000_000, MaxCycles: 9_223_372_036_854_774).Validate());
    }
}
