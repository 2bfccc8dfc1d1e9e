using System.Globalization;

namespace HwSim.Arch.Serving;

/// <summary>Where requests come from: a Poisson process with drawn lengths, or a CSV of recorded requests.</summary>
public static class RequestSource
{
    public const long PicosecondsPerSecond = 1_000_000_000_000;

    /// <summary>
    /// The latest arrival accepted: times are picoseconds in 64 bits (at most 9.2·10⁶ s), and the run goes on past the
    /// last arrival, so arrivals stop at 10⁶ s (11.6 days) to leave the simulated clock room.
    /// </summary>
    public const double MaxArrivalSeconds = 1e6;

    /// <summary>
    /// Poisson arrivals at <paramref name="ratePerSecond"/>: exponential gaps −ln(1−U)/rate (vLLM's benchmark with
    /// burstiness 1), the first request one gap after 0, until <paramref name="durationSeconds"/> has passed or
    /// <paramref name="count"/> requests arrived (whichever is given). Prompt and output lengths are drawn per request.
    /// The random sequence is .NET's seeded <see cref="Random"/>, so a seed gives the same requests every run.
    /// </summary>
    public static IReadOnlyList<ServingRequest> Poisson(double ratePerSecond, int seed, double? durationSeconds, int? count,
        LengthDistribution prompt, LengthDistribution output)
    {
        if (!(ratePerSecond > 0) || !double.IsFinite(ratePerSecond)) throw new ArgumentOutOfRangeException(nameof(ratePerSecond));
        if (durationSeconds is null == count is null) throw new ArgumentException("give exactly one of a duration and a request count");
        var random = new Random(seed);
        var requests = new List<ServingRequest>();
        double t = 0;
        while (true)
        {
            t += -Math.Log(1.0 - random.NextDouble()) / ratePerSecond;
            if (durationSeconds is { } d && t > d) break;
            if (count is { } n && requests.Count >= n) break;
            requests.Add(new ServingRequest(requests.Count, checked((long)Math.Round(t * PicosecondsPerSecond)), prompt.Sample(random), output.Sample(random)));
        }
        return requests;
    }

    /// <summary>
    /// A CSV with the header <c>arrival_s,prompt_tokens,output_tokens</c> and one request per line (arrival in
    /// seconds from the start, non-decreasing). Errors name the file and line.
    /// </summary>
    public static IReadOnlyList<ServingRequest> ReadCsv(TextReader reader, string source)
    {
        const string Header = "arrival_s,prompt_tokens,output_tokens";
        string? header = reader.ReadLine();
        if (header?.Trim() != Header) throw new InvalidDataException($"{source}:1: expected the header '{Header}'");
        var requests = new List<ServingRequest>();
        long previous = 0;
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string at = $"{source}:{lineNumber}";
            string[] fields = line.Split(',');
            if (fields.Length != 3) throw new InvalidDataException($"{at}: expected 3 fields (arrival_s,prompt_tokens,output_tokens), got {fields.Length}");
            if (!double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds)
                || seconds < 0 || seconds > MaxArrivalSeconds)
                throw new InvalidDataException($"{at}: arrival_s: '{fields[0].Trim()}' is not a time in seconds from 0 to 1e6");
            int Count(int i, string name) =>
                int.TryParse(fields[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v
                : throw new InvalidDataException($"{at}: {name}: '{fields[i].Trim()}' is not a whole number of at least 1");
            long arrival = (long)Math.Round(seconds * PicosecondsPerSecond);
            if (arrival < previous) throw new InvalidDataException($"{at}: arrival_s: {fields[0].Trim()} is earlier than the line before");
            previous = arrival;
            requests.Add(new ServingRequest(requests.Count, arrival, Count(1, "prompt_tokens"), Count(2, "output_tokens")));
        }
        if (requests.Count == 0) throw new InvalidDataException($"{source}: no requests");
        return requests;
    }
}
