using System.Text.Json;
using HwSim.Sim.Trace;

namespace HwSim.Tests.Sim;

public class ChromeTraceWriterTests
{
    [Fact]
    public void StreamsEventsWithBoundedBuffering()
    {
        var stream = new MemoryStream();
        var writer = new ChromeTraceWriter(stream);
        const int Events = 20_000, MinEventBytes = 100;
        for (int i = 0; i < Events; i++)
        {
            writer.Complete(1, "op", "compute", i * 1000L, 1000, [("tile", i), ("bytes", 64)], [("phase", "decode")]);
            // Every event is over 100 bytes: what has not reached the stream yet is at most one flush plus an event.
            long heldBack = (long)(i + 1) * MinEventBytes - stream.Length;
            Assert.True(heldBack <= ChromeTraceWriter.FlushBytes + 512, $"{heldBack} bytes held back after {i + 1} events");
        }
        writer.Finish(Events * 1000L);
        writer.Dispose();
        using var document = JsonDocument.Parse(stream.ToArray());
        var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.Equal(Events, events.Count);
        Assert.Equal(19_999, events[^1].GetProperty("args").GetProperty("tile").GetInt64());
        Assert.Equal("decode", events[^1].GetProperty("args").GetProperty("phase").GetString());
        Assert.Equal(19.999m, events[^1].GetProperty("ts").GetDecimal());
    }

    [Fact]
    public void CountersAreSamplesWithOneArgumentPerSeries()
    {
        var stream = new MemoryStream();
        using (var writer = new ChromeTraceWriter(stream))
        {
            writer.Counter("buffer", 2_500, [("slots", 2), ("bytes", 4096)]);
            writer.Counter("rate", "bytes per cycle", 3_000_000, 12.5);
            writer.Finish(3_000_000);
        }
        using var document = JsonDocument.Parse(stream.ToArray());
        var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.Equal("C", events[0].GetProperty("ph").GetString());
        Assert.Equal(0.0025m, events[0].GetProperty("ts").GetDecimal());
        Assert.Equal(4096, events[0].GetProperty("args").GetProperty("bytes").GetInt64());
        Assert.Equal(2, events[0].GetProperty("args").GetProperty("slots").GetInt64());
        Assert.Equal(12.5, events[1].GetProperty("args").GetProperty("bytes per cycle").GetDouble());
        Assert.Equal(3m, events[1].GetProperty("ts").GetDecimal());
    }
}
