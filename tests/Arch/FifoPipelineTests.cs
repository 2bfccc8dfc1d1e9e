using HwSim.Arch.Demo;

namespace HwSim.Tests.Arch;

public class FifoPipelineTests
{
    /// <summary>
    /// Closed form of the pipeline (see <see cref="FifoPipeline"/>): with P &gt;= C the producer sets the pace and
    /// never stalls, and the run takes N·P + C cycles. With C &gt; P the consumer sets the pace: the run takes
    /// P + N·C cycles, and the producer's last push waits until c_(N-d) = P + (N-d-1)·C, so its stall cycles are
    /// max(0, P + (N-d-1)·C − N·P) for N &gt; d.
    /// </summary>
    private static (long TotalCycles, long StallCycles) ClosedForm(long n, long p, long c, long d)
    {
        if (p >= c) return (n * p + c, 0);
        long stall = n > d ? Math.Max(0, p + (n - d - 1) * c - n * p) : 0;
        return (p + n * c, stall);
    }

    public static TheoryData<long, long, long, int> Grid()
    {
        var data = new TheoryData<long, long, long, int>();
        foreach (long n in new long[] { 1, 3, 17, 250 })
            foreach (long p in new long[] { 1, 2, 3, 5, 8 })
                foreach (long c in new long[] { 1, 2, 3, 5, 8 })
                    foreach (int d in new[] { 1, 2, 4, 16 })
                        data.Add(n, p, c, d);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void CyclesStallsAndThroughputMatchTheClosedForm(long items, long producer, long consumer, int depth)
    {
        var result = FifoPipeline.Run(new FifoPipelineSpec(items, producer, consumer, depth, 700_000_000));
        var (totalCycles, stallCycles) = ClosedForm(items, producer, consumer, depth);

        Assert.True(result.Completed);
        Assert.Equal(totalCycles, result.TotalCycles);
        Assert.Equal(stallCycles, result.ProducerStallCycles);
        Assert.Equal(items * producer, result.ProducerBusyCycles);
        Assert.Equal(items * consumer, result.ConsumerBusyCycles);
        Assert.Equal(totalCycles - items * consumer, result.ConsumerStarvedCycles);
        Assert.Equal((double)items / totalCycles, result.ItemsPerCycle);
    }

    [Fact]
    public void SteadyStateThroughputApproachesTheSlowerStage()
    {
        var result = FifoPipeline.Run(new FifoPipelineSpec(100_000, 3, 5, 8));
        Assert.Equal(1.0 / 5, result.ItemsPerCycle, precision: 4);
    }

    [Fact]
    public void HorizonStopsTheRunEarly()
    {
        var result = FifoPipeline.Run(new FifoPipelineSpec(Items: 100, MaxCycles: 50));
        Assert.False(result.Completed);
        Assert.Equal(50, result.TotalCycles);
        Assert.Equal(16, result.ItemsConsumed); // item i is taken at 2 + 3(i-1) and done 3 cycles later
    }

    [Theory]
    [InlineData(0, 1, 1, 1, "Items")]
    [InlineData(1, 0, 1, 1, "ProducerCyclesPerItem")]
    [InlineData(1, 1, -3, 1, "ConsumerCyclesPerItem")]
    [InlineData(1, 1, 1, 0, "FifoDepth")]
    public void InvalidSpecsNameTheField(long items, long producer, long consumer, int depth, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => FifoPipeline.Run(new FifoPipelineSpec(items, producer, consumer, depth)));
        Assert.StartsWith(field + ":", error.Message);
    }
}
