using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Time;

namespace HwSim.Tests.Sim;

/// <summary>Guards whose removal an earlier check further down used to hide (tests/MUTATION.md).</summary>
public class GuardsOfTheirOwnTests
{
    [Fact]
    public void EachGuardRejectsItsOwnArgument()
    {
        Assert.ThrowsAny<ArgumentException>(() => new ClockDomain(" ", 1_000_000_000));
        var clock = new ClockDomain("c", 1_000_000_000);
        Assert.Equal("cycle", Assert.Throws<ArgumentOutOfRangeException>(() => clock.EdgeTimePs(-1)).ParamName);
        // From cycle 5 one cycle back would be a valid edge: only the argument check refuses it.
        Assert.Equal("cycles", Assert.Throws<ArgumentOutOfRangeException>(() => clock.EdgeAfterCyclesPs(5_000, -1)).ParamName);
        var simulator = new Simulator();
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedFifo<int>(simulator, "q", clock, 0)).ParamName);
        var priority = Assert.Throws<ArgumentOutOfRangeException>(() => simulator.ScheduleAt(0, new BoundedFifo<int>(simulator, "r", clock, 1), priority: 40_000));
        Assert.StartsWith("event priority must be in -32768..32767", priority.Message);
    }
}
