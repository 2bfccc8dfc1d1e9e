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

    [Theory]
    [InlineData(700_000_000L)]
    [InlineData(1_000_000_000L)]
    [InlineData(999_999_937L)] // prime: the period does not reduce
    [InlineData(3L)]
    [InlineData(1_000_000_000_000L)]
    public void EdgesAndCyclesMatchTheir128BitDefinitions(long hz)
    {
        var clock = new ClockDomain("c", hz);
        var random = new Random(17);
        for (int i = 0; i < 2000; i++)
        {
            long lastCycle = (long)((Int128)long.MaxValue * hz / ClockDomain.PicosecondsPerSecond);
            long cycle = random.NextInt64(0, i < 1000 ? Math.Min(1L << 40, lastCycle) : lastCycle);
            Assert.Equal((long)((Int128)cycle * ClockDomain.PicosecondsPerSecond / hz), clock.EdgeTimePs(cycle));
            long time = i < 1000 ? random.NextInt64(0, 1L << 50) : random.NextInt64(0, long.MaxValue - 1);
            Assert.Equal((long)((((Int128)time + 1) * hz - 1) / ClockDomain.PicosecondsPerSecond), clock.CycleAtOrBefore(time));
        }
    }
}
