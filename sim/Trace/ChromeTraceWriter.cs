using System.Text.Json;

namespace HwSim.Sim.Trace;

/// <summary>
/// Writes a run as Chrome trace-event JSON (the JSON Object Format, viewable in Perfetto and chrome://tracing):
/// <c>{"traceEvents":[...],"displayTimeUnit":"ns","otherData":{...}}</c>. Every event has <c>name</c>, <c>ph</c>
/// (X = complete, i = instant, M = metadata), <c>ts</c> (microseconds, written as an exact decimal of the
/// picosecond time), <c>pid</c> (always 1) and <c>tid</c> (one track per component); complete events add <c>cat</c>
/// and <c>dur</c>. Output is a function of the events alone, so equal runs give byte-identical files.
/// </summary>
public sealed class ChromeTraceWriter : IDisposable
{
    private const int ProcessId = 1;
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

    public void NameTrack(int track, string name)
    {
        json.WriteStartObject();
        json.WriteString("name", "thread_name");
        json.WriteString("ph", "M");
        json.WriteNumber("ts", 0);
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", track);
        json.WriteStartObject("args");
        json.WriteString("name", name);
        json.WriteEndObject();
        json.WriteEndObject();
        EventsWritten++;
    }

    public void Complete(int track, string name, string category, long startPs, long durationPs)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", category);
        json.WriteString("ph", "X");
        json.WriteNumber("ts", Microseconds(startPs));
        json.WriteNumber("dur", Microseconds(durationPs));
        json.WriteNumber("pid", ProcessId);
        json.WriteNumber("tid", track);
        json.WriteEndObject();
        EventsWritten++;
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
        json.WriteEndObject();
        EventsWritten++;
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

    private static decimal Microseconds(long picoseconds) => picoseconds / 1_000_000m;

    public void Dispose() => json.Dispose();
}
