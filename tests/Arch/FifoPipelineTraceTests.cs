using System.Text.Json;
using HwSim.Arch.Demo;
using HwSim.Sim.Trace;

namespace HwSim.Tests.Arch;

/// <summary>A demo run given a trace writer leaves a finished Chrome trace behind, closed at the run's end.</summary>
public class FifoPipelineTraceTests
{
    /// <summary>
    /// 3 items, producer 2 and consumer 3 cycles, depth 4, 1 GHz: the consumer sets the pace, P + N·C = 2 + 9 = 11
    /// cycles (FifoPipeline's recurrence), 11,000 ps. The writer is not disposed: the run itself must close the JSON.
    /// </summary>
    [Fact]
    public void TheRunFinishesItsTraceAtItsEndTime()
    {
        var stream = new MemoryStream();
        var trace = new ChromeTraceWriter(stream);
        var result = FifoPipeline.Run(new FifoPipelineSpec(3, 2, 3, 4), trace);

        Assert.Equal(11, result.TotalCycles);
        using var json = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(11_000, json.RootElement.GetProperty("otherData").GetProperty("end_time_ps").GetInt64());
        Assert.True(json.RootElement.GetProperty("traceEvents").GetArrayLength() > 0);
    }
}
