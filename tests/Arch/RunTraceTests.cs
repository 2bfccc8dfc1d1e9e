using System.Text.Json;
using HwSim.Arch.Fast;
using HwSim.Arch.Memory;
using HwSim.Arch.Spec;
using HwSim.Sim.Trace;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

/// <summary>
/// The timeline of a fast run: its slices must add up to the run's own statistics (computed without a trace), and
/// tracing must not change the results.
/// </summary>
public class RunTraceTests
{
    private static readonly Workload Small = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 16, 3));

    private static (RunResult Result, List<JsonElement> Events, JsonDocument Document) Traced(AcceleratorSpec spec, Workload workload,
        long start = 0, long end = long.MaxValue, long? steps = null)
    {
        var stream = new MemoryStream();
        RunResult result;
        using (var writer = new ChromeTraceWriter(stream))
            result = FastSimulator.Run(spec, workload, RunFormats.Default(spec), trace: new RunTrace(writer, start, end, steps));
        var document = JsonDocument.Parse(stream.ToArray());
        return (result, document.RootElement.GetProperty("traceEvents").EnumerateArray().ToList(), document);
    }

    private static IEnumerable<JsonElement> Slices(List<JsonElement> events, string category) =>
        events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("cat").GetString() == category);

    private static long Arg(JsonElement e, string name) => e.GetProperty("args").GetProperty(name).GetInt64();

    [Fact]
    public void SlicesAddUpToTheRunsStatisticsAndTracingChangesNothing()
    {
        var spec = Presets.Find("bitmod")!;
        var (result, events, document) = Traced(spec, Small);
        using var _ = document;
        var plain = FastSimulator.Run(spec, Small, RunFormats.Default(spec));
        Assert.Equal(plain.TotalCycles, result.TotalCycles);
        Assert.Equal(plain.Ops.Select(o => o.Cycles), result.Ops.Select(o => o.Cycles));

        foreach (var e in events)
        {
            string phase = e.GetProperty("ph").GetString()!;
            Assert.Contains(phase, new[] { "X", "M", "C" });
            Assert.False(string.IsNullOrEmpty(e.GetProperty("name").GetString()));
            Assert.True(e.GetProperty("ts").GetDecimal() >= 0);
            Assert.Equal(1, e.GetProperty("pid").GetInt32());
            if (phase != "C") Assert.True(e.GetProperty("tid").GetInt32() >= 1);
            if (phase == "X") Assert.True(e.GetProperty("dur").GetDecimal() >= 0);
        }
        var compute = Slices(events, "compute").ToList();
        Assert.Equal(result.Sum(o => o.ComputeCycles), compute.Sum(e => Arg(e, "cycles")));
        Assert.Equal(result.Sum(o => o.Tiles), compute.Count);
        // GEMM tiles on the array track, the rest on the vector unit's; each unit runs one tile at a time.
        var gemmNames = Small.AllOps.Where(o => o.Gemm is not null).Select(o => o.Name).ToHashSet();
        foreach (var e in compute) Assert.Equal(gemmNames.Contains(e.GetProperty("name").GetString()!) ? 1 : 2, e.GetProperty("tid").GetInt32());
        foreach (int track in new[] { 1, 2 })
        {
            var onTrack = compute.Where(e => e.GetProperty("tid").GetInt32() == track).Select(e => (Start: e.GetProperty("ts").GetDecimal(), Dur: e.GetProperty("dur").GetDecimal())).ToList();
            for (int i = 1; i < onTrack.Count; i++) Assert.True(onTrack[i].Start >= onTrack[i - 1].Start + onTrack[i - 1].Dur);
        }
        // At 1 GHz a cycle is 1 ns: durations are cycles / 1000 µs.
        foreach (var e in compute.Take(50)) Assert.Equal(Arg(e, "cycles") / 1000m, e.GetProperty("dur").GetDecimal());
        Assert.Equal(result.Sum(o => o.DramReadBytes), Slices(events, "load").Sum(e => Arg(e, "bytes")));
        Assert.Equal(result.Sum(o => o.DramWriteBytes), Slices(events, "store").Sum(e => Arg(e, "bytes")));
        Assert.Equal(result.Sum(o => o.DramReadBytes), Slices(events, "dram").Where(e => e.GetProperty("name").GetString() == "read").Sum(e => Arg(e, "bytes")));
        // The DRAM data bus: busy cycles of the report are the channel slices' cycles (no row misses in this preset).
        Assert.Equal(result.Components[3].BusyCycles + result.Components[3].StallCycles, Slices(events, "dram").Sum(e => Arg(e, "cycles")));
        // Decode slices carry their step; prefill slices none.
        Assert.Equal([0L, 1, 2], compute.Where(e => e.GetProperty("args").GetProperty("phase").GetString() == "decode").Select(e => Arg(e, "step")).Distinct().Order());
        Assert.DoesNotContain(compute, e => e.GetProperty("args").GetProperty("phase").GetString() == "prefill" && e.GetProperty("args").TryGetProperty("step", out JsonElement _));
        var names = events.Where(e => e.GetProperty("name").GetString() == "thread_name").Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToList();
        Assert.Equal(["array", "vector unit", "DMA engine 0", "DMA engine 1", "DRAM channel"], names);
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "C" && e.GetProperty("name").GetString() == "buffer");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "C" && e.GetProperty("name").GetString() == "DRAM bandwidth");
    }

    [Fact]
    public void AWindowAndAStepLimitKeepOnlyTheirEvents()
    {
        var spec = Presets.Find("bitmod")!;
        var (whole, all, allDocument) = Traced(spec, Small);
        using var _ = allDocument;
        long firstDecode = Slices(all, "compute").Where(e => e.GetProperty("args").GetProperty("phase").GetString() == "decode")
            .Min(e => (long)(e.GetProperty("ts").GetDecimal() * 1000));
        var (_, window, windowDocument) = Traced(spec, Small, 100_000, 200_000);
        using var __ = windowDocument;
        Assert.NotEmpty(Slices(window, "compute"));
        foreach (var e in window.Where(e => e.GetProperty("ph").GetString() is "X" or "C"))
        {
            decimal start = e.GetProperty("ts").GetDecimal() * 1000, end = start + (e.TryGetProperty("dur", out var dur) ? dur.GetDecimal() * 1000 : 0);
            Assert.True(start < 200_000 && (end > 100_000 || start >= 100_000), $"event at {start}..{end} ns");
        }
        var (result, steps, stepsDocument) = Traced(spec, Small, steps: 1);
        using var ___ = stepsDocument;
        Assert.Equal(whole.TotalCycles, result.TotalCycles);
        var stepCompute = Slices(steps, "compute").ToList();
        Assert.Contains(stepCompute, e => e.GetProperty("args").TryGetProperty("step", out var s) && s.GetInt64() == 0);
        Assert.DoesNotContain(stepCompute, e => e.GetProperty("args").TryGetProperty("step", out var s) && s.GetInt64() >= 1);
        Assert.True(stepCompute.Count < Slices(all, "compute").Count());
        Assert.True(firstDecode > 0);
    }

    [Fact]
    public void TheBankedModelHasATrackPerBank()
    {
        var spec = Presets.Find("bitmod")! with { ClockMhz = 1600, Dram = BankedDramSpec.Ddr4_3200() };
        var (result, events, document) = Traced(spec, LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 8, 1)));
        using var _ = document;
        var names = events.Where(e => e.GetProperty("name").GetString() == "thread_name").Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 16).Select(b => $"DRAM bank {b}"), names.Skip(4));
        var dram = Slices(events, "dram").ToList();
        Assert.True(dram.Select(e => e.GetProperty("tid").GetInt32()).Distinct().Count() > 1);
        // Bus bytes are whole 64-byte accesses: at least the bytes the DMA moved.
        Assert.True(dram.Sum(e => Arg(e, "bytes")) >= result.Sum(o => o.DramReadBytes + o.DramWriteBytes));
    }

    [Fact]
    public void ProgressCountsEveryOpInstance()
    {
        var spec = Presets.Find("bitmod")!;
        long reported = 0;
        FastSimulator.Run(spec, Small, RunFormats.Default(spec), progress: n => reported += n);
        Assert.Equal(Small.Prefill.Count + 3 * Small.Decode.Count, reported);
        Assert.Equal(reported, FastSimulator.OpInstances(Small));
    }
}
