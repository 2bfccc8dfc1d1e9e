using System.Text;
using System.Text.Json;
using HwSim.Sim.Trace;

namespace HwSim.Tests.Sim;

/// <summary>
/// The trace writer's output read back with System.Text.Json and compared field by field with what was written
/// (the Chrome trace-event format: name, ph, ts in microseconds, pid, tid, cat, dur, args), and its streaming:
/// nothing reaches the stream until more than 64 KiB are pending.
/// </summary>
public class ChromeTraceWriterFormatTests
{
    private static JsonElement Write(Action<ChromeTraceWriter> events, long endTimePs = 0)
    {
        var stream = new MemoryStream();
        using (var writer = new ChromeTraceWriter(stream))
        {
            events(writer);
            writer.Finish(endTimePs);
        }
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    private static List<JsonElement> Events(JsonElement root) => root.GetProperty("traceEvents").EnumerateArray().ToList();

    private static List<string> Fields(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public void TheEnvelopeNamesTheTimeUnitAndTheRunsEnd()
    {
        var root = Write(_ => { }, endTimePs: 123_456_789);
        Assert.Equal(["displayTimeUnit", "traceEvents", "otherData"], Fields(root));
        Assert.Equal("ns", root.GetProperty("displayTimeUnit").GetString());
        Assert.Empty(Events(root));
        var other = root.GetProperty("otherData");
        Assert.Equal(["generator", "end_time_ps"], Fields(other));
        Assert.Equal("hwsim", other.GetProperty("generator").GetString());
        Assert.Equal(123_456_789, other.GetProperty("end_time_ps").GetInt64());
    }

    [Fact]
    public void TrackMetadataNamesAndOrdersTracks()
    {
        var events = Events(Write(w =>
        {
            w.NameTrack(3, "array");
            w.SortTrack(3, 7);
        }));
        Assert.Equal(2, events.Count);
        var name = events[0];
        Assert.Equal(["name", "ph", "ts", "pid", "tid", "args"], Fields(name));
        Assert.Equal(("thread_name", "M", 0m, 1, 3), (name.GetProperty("name").GetString(), name.GetProperty("ph").GetString(),
            name.GetProperty("ts").GetDecimal(), name.GetProperty("pid").GetInt32(), name.GetProperty("tid").GetInt32()));
        Assert.Equal(["name"], Fields(name.GetProperty("args")));
        Assert.Equal("array", name.GetProperty("args").GetProperty("name").GetString());
        var sort = events[1];
        Assert.Equal(["name", "ph", "ts", "pid", "tid", "args"], Fields(sort));
        Assert.Equal(("thread_sort_index", "M", 3), (sort.GetProperty("name").GetString(), sort.GetProperty("ph").GetString(),
            sort.GetProperty("tid").GetInt32()));
        Assert.Equal(["sort_index"], Fields(sort.GetProperty("args")));
        Assert.Equal(7, sort.GetProperty("args").GetProperty("sort_index").GetInt32());
    }

    [Fact]
    public void CompleteEventsCarryMicrosecondTimesAndTheirArguments()
    {
        var events = Events(Write(w =>
        {
            w.Complete(2, "matmul", "compute", 1_234_567, 2_000_001, [("tile", 5)], [("phase", "prefill")]);
            w.Complete(4, "load", "dma", 7, 1_000_000);
            w.Complete(4, "store", "dma", 0, 1, [("bytes", -3), ("beats", 9)], []);
            w.Complete(4, "wait", "dma", 0, 1, [], [("why", "full")]);
        }));
        var first = events[0];
        Assert.Equal(["name", "cat", "ph", "ts", "dur", "pid", "tid", "args"], Fields(first));
        Assert.Equal(("matmul", "compute", "X", 1, 2), (first.GetProperty("name").GetString(), first.GetProperty("cat").GetString(),
            first.GetProperty("ph").GetString(), first.GetProperty("pid").GetInt32(), first.GetProperty("tid").GetInt32()));
        // 1,234,567 ps = 1.234567 µs; 2,000,001 ps = 2.000001 µs (exact decimals, no rounding).
        Assert.Equal(1.234567m, first.GetProperty("ts").GetDecimal());
        Assert.Equal(2.000001m, first.GetProperty("dur").GetDecimal());
        // Text arguments come first, then the integers.
        Assert.Equal(["phase", "tile"], Fields(first.GetProperty("args")));
        Assert.Equal("prefill", first.GetProperty("args").GetProperty("phase").GetString());
        Assert.Equal(5, first.GetProperty("args").GetProperty("tile").GetInt64());

        var plain = events[1];
        Assert.Equal(["name", "cat", "ph", "ts", "dur", "pid", "tid"], Fields(plain));
        Assert.Equal((0.000007m, 1m), (plain.GetProperty("ts").GetDecimal(), plain.GetProperty("dur").GetDecimal()));
        Assert.Equal(["bytes", "beats"], Fields(events[2].GetProperty("args")));
        Assert.Equal(-3, events[2].GetProperty("args").GetProperty("bytes").GetInt64());
        Assert.Equal(0.000001m, events[2].GetProperty("dur").GetDecimal());
        Assert.Equal(["why"], Fields(events[3].GetProperty("args")));
    }

    [Fact]
    public void InstantsAreThreadScoped()
    {
        var instant = Events(Write(w => w.Instant(6, "refresh", "dram", 5_500_000)))[0];
        Assert.Equal(["name", "cat", "ph", "s", "ts", "pid", "tid"], Fields(instant));
        Assert.Equal(("refresh", "dram", "i", "t", 5.5m, 1, 6), (instant.GetProperty("name").GetString(),
            instant.GetProperty("cat").GetString(), instant.GetProperty("ph").GetString(), instant.GetProperty("s").GetString(),
            instant.GetProperty("ts").GetDecimal(), instant.GetProperty("pid").GetInt32(), instant.GetProperty("tid").GetInt32()));
    }

    [Fact]
    public void CountersOfOneSeriesAndOfARate()
    {
        var events = Events(Write(w =>
        {
            w.Counter("queue", "depth", 250_000, 17);
            w.Counter("bandwidth", "GB/s", 1_000_000, 0.1);
            w.Counter("buffer", 0, [("a", 1), ("b", 2), ("c", 3)]);
        }));
        var depth = events[0];
        Assert.Equal(["name", "ph", "ts", "pid", "args"], Fields(depth));
        Assert.Equal(("queue", "C", 0.25m, 1), (depth.GetProperty("name").GetString(), depth.GetProperty("ph").GetString(),
            depth.GetProperty("ts").GetDecimal(), depth.GetProperty("pid").GetInt32()));
        Assert.Equal(["depth"], Fields(depth.GetProperty("args")));
        Assert.Equal(17, depth.GetProperty("args").GetProperty("depth").GetInt64());
        var rate = events[1];
        Assert.Equal(["name", "ph", "ts", "pid", "args"], Fields(rate));
        Assert.Equal(("bandwidth", "C", 1m), (rate.GetProperty("name").GetString(), rate.GetProperty("ph").GetString(),
            rate.GetProperty("ts").GetDecimal()));
        Assert.Equal(0.1, rate.GetProperty("args").GetProperty("GB/s").GetDouble());
        Assert.Equal(["a", "b", "c"], Fields(events[2].GetProperty("args")));
        Assert.Equal(3, events[2].GetProperty("args").GetProperty("c").GetInt64());
    }

    [Fact]
    public void EveryKindOfEventIsCountedAndFinishingTwiceWritesNothingMore()
    {
        var stream = new MemoryStream();
        using var writer = new ChromeTraceWriter(stream);
        writer.NameTrack(1, "a");
        writer.SortTrack(1, 1);
        writer.Complete(1, "x", "c", 0, 1);
        writer.Instant(1, "i", "c", 0);
        writer.Counter("n", "s", 0, 1);
        writer.Counter("n", 0, [("s", 1)]);
        writer.Counter("n", "s", 0, 1.5);
        Assert.Equal(7, writer.EventsWritten);
        writer.Finish(10);
        long length = stream.Length;
        writer.Finish(20);
        Assert.Equal(length, stream.Length);
        Assert.Equal(10, JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("otherData").GetProperty("end_time_ps").GetInt64());
    }

    [Fact]
    public void TheStreamReceivesNothingUntilMoreThan64KiBArePending()
    {
        const string Header = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
        static string Instant(string name) => $"{{\"name\":\"{name}\",\"cat\":\"c\",\"ph\":\"i\",\"s\":\"t\",\"ts\":0,\"pid\":1,\"tid\":1}}";
        // One event that brings the pending bytes to exactly 64 KiB: not more than the limit, so still held back.
        string padded = new('a', ChromeTraceWriter.FlushBytes - Header.Length - Instant("").Length);
        Assert.Equal(ChromeTraceWriter.FlushBytes, Header.Length + Instant(padded).Length);
        var stream = new MemoryStream();
        using var writer = new ChromeTraceWriter(stream);
        writer.Instant(1, padded, "c", 0);
        Assert.Equal(0, stream.Length);
        // The next event passes the limit: everything pending goes out at once, byte for byte as formatted.
        writer.Instant(1, "b", "c", 0);
        string expected = Header + Instant(padded) + "," + Instant("b");
        Assert.Equal(expected, Encoding.UTF8.GetString(stream.ToArray()));
    }
}
