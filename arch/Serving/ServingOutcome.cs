namespace HwSim.Arch.Serving;

/// <summary>Mean and percentiles (numpy's linear interpolation, as vLLM's benchmark computes them) of a metric, in milliseconds.</summary>
public sealed record LatencyStats(int Count, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static LatencyStats Of(List<double> valuesMs)
    {
        if (valuesMs.Count == 0) return new LatencyStats(0, 0, 0, 0, 0, 0);
        valuesMs.Sort();
        return new LatencyStats(valuesMs.Count, valuesMs.Average(), Percentile(valuesMs, 50), Percentile(valuesMs, 90), Percentile(valuesMs, 99), valuesMs[^1]);
    }

    /// <summary>Linear interpolation between closest ranks: rank = p/100 · (n − 1) (numpy.percentile's default).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        double rank = p / 100 * (sorted.Count - 1);
        int lo = (int)Math.Floor(rank), hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}

/// <summary>One point of a time series: a time-weighted mean over [StartS, EndS).</summary>
public sealed record SeriesPoint(double StartS, double EndS, double KvOccupancy, double Waiting, double Running);

/// <summary>What a serving run produced, with the metrics of vLLM's serving benchmark (reference: vllm benchmarks/serve.py calculate_metrics).</summary>
public sealed class ServingOutcome(
    IReadOnlyList<ServingRequest> requests,
    IReadOnlyList<RequestState?> states,
    IReadOnlyList<IterationRecord> iterations,
    long endPs,
    long busyPs,
    long completed,
    long rejected,
    long preemptions,
    TimeIntegral inSystem,
    TimeIntegral waiting,
    TimeIntegral kvBlocks,
    KvCache kv,
    long simulations,
    long events)
{
    private const double PsPerMs = 1e9, PsPerS = 1e12;

    public IReadOnlyList<ServingRequest> Requests => requests;

    /// <summary>Served requests (null where a request was rejected as larger than the whole KV cache).</summary>
    public IReadOnlyList<RequestState?> States => states;

    public IReadOnlyList<IterationRecord> Iterations => iterations;

    /// <summary>The last completion: the run's duration, from 0.</summary>
    public long EndPs => endPs;

    public long BusyPs => busyPs;
    public long Completed => completed;
    public long Rejected => rejected;
    public long Preemptions => preemptions;
    public KvCache Kv => kv;
    public long AcceleratorSimulations => simulations;
    public long KernelEvents => events;

    public double DurationS => endPs / PsPerS;

    /// <summary>Busy fraction of the accelerator over the run.</summary>
    public double Utilization => endPs == 0 ? 0 : (double)busyPs / endPs;

    private IEnumerable<RequestState> Served => states.OfType<RequestState>();

    /// <summary>Time to first token: first token − arrival.</summary>
    public LatencyStats Ttft() => LatencyStats.Of([.. Served.Select(s => (s.FirstTokenPs - s.Request.ArrivalPs) / PsPerMs)]);

    /// <summary>Time per output token: (E2E − TTFT) / (output − 1), requests with more than one output token.</summary>
    public LatencyStats Tpot() => LatencyStats.Of([.. Served.Where(s => s.Request.OutputTokens > 1)
        .Select(s => (s.FinishPs - s.FirstTokenPs) / PsPerMs / (s.Request.OutputTokens - 1))]);

    /// <summary>End-to-end latency: last token − arrival.</summary>
    public LatencyStats E2e() => LatencyStats.Of([.. Served.Select(s => (s.FinishPs - s.Request.ArrivalPs) / PsPerMs)]);

    /// <summary>Time waiting in the queue (before admission and after preemptions).</summary>
    public LatencyStats QueueDelay() => LatencyStats.Of([.. Served.Select(s => s.WaitingPs / PsPerMs)]);

    public long InputTokens => Served.Sum(s => (long)s.Request.PromptTokens);
    public long OutputTokens => Served.Sum(s => (long)s.Request.OutputTokens);
    public double RequestsPerSecond => DurationS == 0 ? 0 : completed / DurationS;
    public double OutputTokensPerSecond => DurationS == 0 ? 0 : OutputTokens / DurationS;
    public double TotalTokensPerSecond => DurationS == 0 ? 0 : (InputTokens + OutputTokens) / DurationS;

    /// <summary>Time-averaged requests in the system (waiting or running), from the event-by-event count.</summary>
    public double MeanInSystem => inSystem.Mean(endPs);

    public long MaxInSystem => inSystem.Max;
    public double MeanWaiting => waiting.Mean(endPs);
    public long MaxWaiting => waiting.Max;
    public double MeanKvOccupancy => kvBlocks.Mean(endPs) / kv.TotalBlocks;
    public double MaxKvOccupancy => (double)kvBlocks.Max / kv.TotalBlocks;

    /// <summary>
    /// KV occupancy, waiting and running requests over time: <paramref name="points"/> equal intervals of the run, each
    /// the time-weighted mean over the iterations (and idle gaps, counted as their state) in it.
    /// </summary>
    public IReadOnlyList<SeriesPoint> Series(int points)
    {
        var result = new List<SeriesPoint>();
        if (endPs == 0 || iterations.Count == 0) return result;
        long width = Math.Max(1, (endPs + points - 1) / points);
        int next = 0;
        for (long start = 0; start < endPs; start += width)
        {
            long stop = Math.Min(endPs, start + width);
            double kvSum = 0, waitSum = 0, runSum = 0;
            while (next < iterations.Count && iterations[next].StartPs + iterations[next].DurationPs <= start) next++;
            for (int i = next; i < iterations.Count && iterations[i].StartPs < stop; i++)
            {
                var it = iterations[i];
                long overlap = Math.Min(stop, it.StartPs + it.DurationPs) - Math.Max(start, it.StartPs);
                if (overlap <= 0) continue;
                kvSum += (double)it.KvBlocksUsed * overlap;
                waitSum += (double)it.Waiting * overlap;
                runSum += (double)it.Sequences * overlap;
            }
            double span = stop - start;
            result.Add(new SeriesPoint(start / PsPerS, stop / PsPerS, kvSum / span / kv.TotalBlocks, waitSum / span, runSum / span));
        }
        return result;
    }
}
