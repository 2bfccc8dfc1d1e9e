using System.Text.Json;
using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Stats;
using HwSim.Sim.Time;
using HwSim.Sim.Trace;

namespace HwSim.Tests.Sim;

/// <summary>
/// Busy/idle/stall accounting against a hand-worked timeline, its trace slices, and the report records' arithmetic
/// and look-ups.
/// </summary>
public class ActivityAndReportTests
{
    /// <summary>Switches its activity state at given times (the wake-up tag indexes the plan).</summary>
    private sealed class Scripted : Component
    {
        private readonly (long TimePs, ActivityState State)[] plan;

        public Scripted(Simulator simulator, string name, ClockDomain clock, (long TimePs, ActivityState State)[] plan, long endPs)
            : base(simulator, name, clock)
        {
            this.plan = plan;
            for (int i = 0; i < plan.Length; i++) simulator.ScheduleAt(plan[i].TimePs, this, i);
            simulator.ScheduleAt(endPs, this, -1);
        }

        protected override void OnWake(long tag)
        {
            if (tag >= 0) Activity.Set(plan[tag].State);
        }
    }

    // 700 MHz: edge n at floor(n · 10000 / 7) ps (0, 1428, 2857, 4285, 5714, 7142, 8571, 10000, 11428, ...), so the
    // cycle at or before t is the last edge ≤ t: 1000 → 0, 5000 → 3, 6000 → 4, 10000 → 7, 12000 → 8.
    private static readonly (long, ActivityState)[] Timeline =
    [
        (1_000, ActivityState.Busy),
        (3_000, ActivityState.Busy), // no change: the busy interval goes on
        (5_000, ActivityState.Stalled),
        (6_000, ActivityState.Busy),
        (10_000, ActivityState.Idle),
    ];

    [Fact]
    public void BusyStallAndIdleTimeFollowTheTimeline()
    {
        var simulator = new Simulator();
        new Scripted(simulator, "pe", new ClockDomain("c", 700_000_000), Timeline, endPs: 12_000);
        simulator.Run();
        var activity = simulator.Collect().Component("pe").Activity!;
        // Busy 1000..5000 and 6000..10000; stalled 5000..6000; idle 0..1000 and 10000..12000.
        Assert.Equal((8_000L, 1_000L, 3_000L), (activity.BusyPs, activity.StallPs, activity.IdlePs));
        // Cycles: busy (3 − 0) + (7 − 4) = 6, stalled 4 − 3 = 1, idle (0 − 0) + (8 − 7) = 1.
        Assert.Equal((6L, 1L, 1L), (activity.BusyCycles, activity.StallCycles, activity.IdleCycles));
        Assert.Equal(8, activity.TotalCycles);
        Assert.Equal(0.75, activity.Utilization);
    }

    [Fact]
    public void BusyAndStalledIntervalsBecomeTraceSlicesAndIdleOnesDoNot()
    {
        var stream = new MemoryStream();
        using (var trace = new ChromeTraceWriter(stream))
        {
            var simulator = new Simulator(trace);
            new Scripted(simulator, "other", new ClockDomain("c", 1_000_000_000), [], endPs: 0);
            var plan = Timeline.Append((10_000, ActivityState.Stalled)).Append((10_000, ActivityState.Busy)).ToArray();
            new Scripted(simulator, "pe", new ClockDomain("c", 700_000_000), plan, endPs: 12_000);
            simulator.Run();
            simulator.Collect();
            trace.Finish(simulator.NowPs);
        }
        var events = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        // Registration names the tracks 1, 2, ... in order.
        var names = events.Where(e => e.GetProperty("ph").GetString() == "M")
            .Select(e => (e.GetProperty("tid").GetInt32(), e.GetProperty("args").GetProperty("name").GetString()));
        Assert.Equal([(1, "other"), (2, "pe")], names);
        // The zero-length idle → stalled → busy switch at 10,000 ps leaves no slice; the busy tail to the end does.
        var slices = events.Where(e => e.GetProperty("ph").GetString() == "X")
            .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("cat").GetString(), e.GetProperty("tid").GetInt32(),
                e.GetProperty("ts").GetDecimal(), e.GetProperty("dur").GetDecimal()));
        Assert.Equal(
        [
            ("busy", "activity", 2, 0.001m, 0.004m),
            ("stall", "activity", 2, 0.005m, 0.001m),
            ("busy", "activity", 2, 0.006m, 0.004m),
            ("busy", "activity", 2, 0.01m, 0.002m),
        ], slices);
    }

    [Fact]
    public void ComponentsThatNeverTrackActivityReportNone()
    {
        var simulator = new Simulator();
        new Scripted(simulator, "passive", new ClockDomain("c", 1_000_000_000), [], endPs: 5);
        simulator.Run();
        Assert.Null(simulator.Collect().Component("passive").Activity);
    }

    [Fact]
    public void ReportArithmeticAndEmptyReports()
    {
        var report = new ActivityReport(BusyCycles: 3, IdleCycles: 4, StallCycles: 5, 0, 0, 0);
        Assert.Equal(12, report.TotalCycles);
        Assert.Equal(0.25, report.Utilization);
        Assert.Equal(0, new ActivityReport(0, 0, 0, 0, 0, 0).Utilization);
        var histogram = new HistogramReport("h", 0, 1, [], 0, 0, Count: 4, Sum: 10, Min: 1, Max: 4);
        Assert.Equal(2.5, histogram.Mean);
        Assert.Equal(0, (histogram with { Count = 0, Sum = 0 }).Mean);
    }

    [Fact]
    public void ReportsFindCountersAndComponentsByNameOrSayWhatIsMissing()
    {
        var component = new ComponentReport("fifo", "c", null, [new("pushes", 4), new("pops", 3)], []);
        Assert.Equal(3, component.Counter("pops"));
        Assert.Equal(4, component.Counter("pushes"));
        Assert.Equal("component 'fifo' has no counter 'stalls'",
            Assert.Throws<KeyNotFoundException>(() => component.Counter("stalls")).Message);
        var result = new SimulationResult(0, 0, 0, [component, component with { Name = "dram" }]);
        Assert.Equal("dram", result.Component("dram").Name);
        Assert.Same(component, result.Component("fifo"));
        Assert.Equal("no component 'pe' in the result", Assert.Throws<KeyNotFoundException>(() => result.Component("pe")).Message);
    }

    [Fact]
    public void CountersAddExactlyAndOverflowLoudly()
    {
        var counter = new Counter("bytes");
        counter.Add(40);
        counter.Increment();
        counter.Add(-5);
        Assert.Equal(("bytes", 36L), (counter.Name, counter.Value));
        counter.Add(long.MaxValue - 36);
        Assert.Throws<OverflowException>(() => counter.Add(1));
    }
}
