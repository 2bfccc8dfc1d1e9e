using System.Text.Json;

namespace HwSim.Sim.Trace;

/// <summary>
/// Writes a run as Chrome trace-event JSON (the JSON Object Format, viewable in Perfetto and chrome://tracing):
/// <c>{"displayTimeUnit":"ns","traceEvents":[...],"otherData":{...}}</c>. Every event has <c>name</c>, <c>ph</c>
/// (X = complete, i = instant, C = counter, M = metadata), <c>ts</c> (microseconds, written as an exact decimal of
/// the picosecond time), <c>pid</c> (always 1) and <c>tid</c> (one track per component); complete events add
/// <c>cat</c> and <c>dur</c>, and may carry integer and text <c>args</c>. Output is a function of the events alone,
/// so equal runs give byte-identical files.
/// </summary>
/// <remarks>
/// Events stream to the output as they come: the JSON writer's buffer is handed to the stream whenever it holds
/// more than <see cref="FlushBytes"/>, so memory stays bounded however long the run is.
/// </remarks>
public sealed class ChromeTraceWriter : IDisposable
{
    private const int ProcessId = 1;

    /// <summary>Bytes the writer buffers before passing them on to the stream.</summary>
    public const int FlushBytes = 1 << 16;

    private readonly Utf8JsonWriter json;
    private bool finished;

    public ChromeTraceWriter(Stream output)
    {
        json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartArray("traceEvents");
    }

    public long EventsWritten { get; private set; }

    /// <summary>Names track <paramref name="track"/> (a thread-name metadata event).</summary>
    public void NameTrack(int track, string name)
    {
        StartTrackMetadata("thread_name", track);
        json.WriteString("name", name);
        EndTrackMetadata();
    }

    /// <summary>Orders track <paramref name="track"/> among the others (a thread-sort-index metadata event).</summary>
    public void SortTrack(int track, int index)
    {
        StartTrackMetadata("thread_sort_index", track);
        json.WriteNumber("sort_index", index);
        EndTrackMetadata();
    }

    /// <summary>Opens a metadata event ("ph": "M") of <paramref name="track"/> up to its args object.</summary>
    private void StartTrackMetadata(string kind, int track)
    {
        json.WriteStartObject();
        json.WriteString("name", kind);
        json.WriteString("ph", "M");
        json.WriteNumber("ts", 0);
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", track);
        json.WriteStartObject("args");
    }

    private void EndTrackMetadata()
    {
        json.WriteEndObject();
        EndEvent();
    }

    public void Complete(int track, string name, string category, long startPs, long durationPs) =>
        Complete(track, name, category, startPs, durationPs, [], []);

    /// <summary>A slice of <paramref name="durationPs"/> from <paramref name="startPs"/>, with integer and text arguments.</summary>
    public void Complete(int track, string name, string category, long startPs, long durationPs,
        ReadOnlySpan<(string Key, long Value)> numbers, ReadOnlySpan<(string Key, string Value)> texts)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", category);
        json.WriteString("ph", "X");
        json.WriteNumber("ts", Microseconds(startPs));
        json.WriteNumber("dur", Microseconds(durationPs));
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", track);
        if (numbers.Length + texts.Length > 0)
        {
            json.WriteStartObject("args");
            foreach (var (key, value) in texts) json.WriteString(key, value);
            foreach (var (key, value) in numbers) json.WriteNumber(key, value);
            json.WriteEndObject();
        }
        EndEvent();
    }

    public void Instant(int track, string name, string category, long timePs)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", category);
        json.WriteString("ph", "i");
        json.WriteString("s", "t");
        json.WriteNumber("ts", Microseconds(timePs));
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", track);
        EndEvent();
    }

    /// <summary>A counter sample: series <paramref name="series"/> of counter <paramref name="name"/> is <paramref name="value"/> from <paramref name="timePs"/> on.</summary>
    public void Counter(string name, string series, long timePs, long value)
    {
        StartCounter(name, timePs);
        json.WriteNumber(series, value);
        EndCounter();
    }

    /// <summary>A sample of several series of counter <paramref name="name"/> at once (a track per series in Perfetto).</summary>
    public void Counter(string name, long timePs, ReadOnlySpan<(string Series, long Value)> values)
    {
        StartCounter(name, timePs);
        foreach (var (series, value) in values) json.WriteNumber(series, value);
        EndCounter();
    }

    /// <summary>A counter sample of a rate (written as the shortest decimal that reads back as the same double).</summary>
    public void Counter(string name, string series, long timePs, double value)
    {
        StartCounter(name, timePs);
        json.WriteNumber(series, value);
        EndCounter();
    }

    private void StartCounter(string name, long timePs)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "C");
        json.WriteNumber("ts", Microseconds(timePs));
        json.WriteNumber("pid", ProcessId);
        json.WriteStartObject("args");
    }

    private void EndCounter()
    {
        json.WriteEndObject();
        EndEvent();
    }

    /// <summary>Closes the event list and records the run's end time; further events are an error.</summary>
    public void Finish(long endTimePs)
    {
        if (finished) return;
        finished = true;
        json.WriteEndArray();
        json.WriteStartObject("otherData");
        json.WriteString("generator", "hwsim");
        json.WriteNumber("end_time_ps", endTimePs);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    private void EndEvent()
    {
        json.WriteEndObject();
        EventsWritten++;
        if (json.BytesPending > FlushBytes) json.Flush();
    }

    private static decimal Microseconds(long picoseconds) => picoseconds / 1_000_000m;

    public void Dispose() => json.Dispose();
}
