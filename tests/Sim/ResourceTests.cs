using HwSim.Sim.Resources;

namespace HwSim.Tests.Sim;

public class ResourceTests
{
    [Fact]
    public void RequestsBeyondCapacityQueueAndAreGrantedOldestFirst()
    {
        var resource = new Resource<string>("engines", 2);
        Assert.True(resource.Request(0, "a"));
        Assert.True(resource.Request(0, "b"));
        Assert.False(resource.Request(1, "c"));
        Assert.False(resource.Request(2, "d"));
        Assert.Equal((2, 2), (resource.InUse, resource.Waiting));
        Assert.True(resource.Release(5, out string? first));
        Assert.Equal("c", first);
        Assert.True(resource.Release(6, out string? second));
        Assert.Equal("d", second);
        Assert.False(resource.Release(8, out _));
        Assert.Equal(1, resource.InUse);
        Assert.False(resource.TryAcquire(8) && resource.TryAcquire(8));
    }

    [Fact]
    public void HeldAndQueuedUnitCyclesIntegrateExactly()
    {
        // Two units: held 2 over 0..10, then 1 over 10..20; one request queued 3..10; run ends at 30.
        var resource = new Resource<int>("slots", 2);
        resource.Request(0, 1);
        resource.Request(0, 2);
        resource.Request(3, 3);
        Assert.True(resource.Release(10, out int granted));
        Assert.Equal(3, granted);
        resource.Release(10, out _);
        resource.Release(20, out _);
        var report = resource.Report(30);
        Assert.Equal(2 * 10 + 1 * 10, report.BusyCycles);
        Assert.Equal(7, report.QueuedCycles);
        Assert.Equal(2 * 30 - 30, report.IdleCycles);
        Assert.Equal(0.5, report.Utilization);
    }

    [Fact]
    public void ReleasingAnIdleResourceIsAnError()
    {
        var resource = new Resource<int>("slots", 1);
        Assert.Throws<InvalidOperationException>(() => resource.Release(0, out _));
    }
}
