using System.Numerics;
using CsCheck;
using HwSim.Sim.Time;

namespace HwSim.Tests.Sim;

public class ClockDomainTests
{
    private const long TeraCycles = 1_000_000_000_000;

    [Theory]
    [InlineData(700_000_000L)]
    [InlineData(1_000_000_000L)]
    public void EdgeTimeAtTeraCyclesEqualsExactRationalFloor(long frequencyHz)
    {
        var clock = new ClockDomain("c", frequencyHz);
        var exact = BigInteger.Divide(new BigInteger(TeraCycles) * ClockDomain.PicosecondsPerSecond, frequencyHz);
        Assert.Equal(exact, new BigInteger(clock.EdgeTimePs(TeraCycles)));
        Assert.Equal(TeraCycles, clock.CycleAtOrBefore(clock.EdgeTimePs(TeraCycles)));
        Assert.Equal(TeraCycles - 1, clock.CycleAtOrBefore(clock.EdgeTimePs(TeraCycles) - 1));
    }

    [Fact]
    public void SevenHundredMegahertzDoesNotDriftWhereAccumulatedPeriodsWould()
    {
        var clock = new ClockDomain("c", 700_000_000);
        // 10^12 cycles at 700 MHz last exactly 10^24 / (7 * 10^8) ps = 1,428,571,428,571,428 ps (floor).
        Assert.Equal(1_428_571_428_571_428L, clock.EdgeTimePs(TeraCycles));
        long accumulatedIntegerPeriods = TeraCycles * (ClockDomain.PicosecondsPerSecond / 700_000_000);
        Assert.NotEqual(accumulatedIntegerPeriods, clock.EdgeTimePs(TeraCycles));
        // Every 7 cycles the 700 MHz edge lands on a whole 10 ns, also far out.
        Assert.Equal(10_000L * (TeraCycles / 7), clock.EdgeTimePs(TeraCycles / 7 * 7));
    }

    [Fact]
    public void OneGigahertzEdgesAreWholeNanoseconds()
    {
        var clock = new ClockDomain("c", 1_000_000_000);
        Assert.Equal(1_000L * TeraCycles, clock.EdgeTimePs(TeraCycles));
        Assert.Equal(TeraCycles, clock.CycleAtOrBefore(1_000L * TeraCycles + 999));
        Assert.Equal(TeraCycles + 1, clock.CycleAtOrAfter(1_000L * TeraCycles + 1));
    }

    [Fact]
    public void TimeToCycleRoundTripsForAnyFrequencyAndCycle()
    {
        Gen.Select(Gen.Long[1, ClockDomain.PicosecondsPerSecond], Gen.Long[0, TeraCycles * 100])
            .Sample((frequency, cycle) =>
            {
                var clock = new ClockDomain("c", frequency);
                long edge = clock.EdgeTimePs(cycle);
                return clock.CycleAtOrBefore(edge) == cycle && clock.CycleAtOrAfter(edge) == cycle
                    && (cycle == 0 || clock.CycleAtOrBefore(edge - 1) == cycle - 1);
            });
    }

    [Fact]
    public void CycleAtOrBeforeBracketsAnyTime()
    {
        Gen.Select(Gen.Long[1, ClockDomain.PicosecondsPerSecond], Gen.Long[0, long.MaxValue / 2])
            .Sample((frequency, time) =>
            {
                var clock = new ClockDomain("c", frequency);
                long cycle = clock.CycleAtOrBefore(time);
                return clock.EdgeTimePs(cycle) <= time && clock.EdgeTimePs(cycle + 1) > time;
            });
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(ClockDomain.PicosecondsPerSecond + 1)]
    public void RejectsFrequenciesOutsideOneHertzToOneTerahertz(long frequencyHz) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClockDomain("c", frequencyHz));
}
