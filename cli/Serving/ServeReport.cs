using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HwSim.Arch.Fast;
using HwSim.Arch.Serving;
using HwSim.Arch.Spec;
using HwSim.Cli.Results;
using HwSim.Workloads.Models;
using Spectre.Console;

using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>The `serve` result (docs/schemas/serve.schema.json).</summary>
public sealed record ServeSummary(
    string Design,
    string Model,
    string Weights,
    string KvCache,
    string Scheduler,
    int MaxBatch,
    int MaxBatchedTokens,
    bool ChunkedPrefill,
    string KvPolicy,
    string IterationModel,
    KvCapacity Memory,
    long Requests,
    long Completed,
    long Rejected,
    long Preemptions,
    double DurationS,
    long InputTokens,
    long OutputTokens,
    double RequestsPerSecond,
    double OutputTokensPerSecond,
    double TotalTokensPerSecond,
    double Utilization,
    LatencyStats TtftMs,
    LatencyStats TpotMs,
    LatencyStats E2eMs,
    LatencyStats QueueDelayMs,
    double MeanInSystem,
    long MaxInSystem,
    double MeanWaiting,
    long MaxWaiting,
    double MeanKvOccupancy,
    double MaxKvOccupancy,
    long Iterations,
    long AcceleratorSimulations,
    long KernelEvents,
    IReadOnlyList<SeriesPoint> Series);

public static class ServeReport
{
    public static ServeSummary Of(AcceleratorSpec spec, ModelConfig model, RunFormats formats, KvCapacity memory, string scheduler,
        SchedulerOptions options, string iterationModel, ServingOutcome o, int points) =>
        new(spec.Name, model.Name,
            formats.SamePhases ? formats.Prefill.Bytes.Name : $"{formats.Prefill.Bytes.Name}/{formats.Decode.Bytes.Name}",
            formats.KvCache.Name, scheduler, options.MaxBatch, options.MaxBatchedTokens, options.ChunkedPrefill,
            options.KvPolicy.ToString().ToLowerInvariant(), iterationModel, memory,
            o.Requests.Count, o.Completed, o.Rejected, o.Preemptions, o.DurationS, o.InputTokens, o.OutputTokens,
            o.RequestsPerSecond, o.OutputTokensPerSecond, o.TotalTokensPerSecond, o.Utilization,
            o.Ttft(), o.Tpot(), o.E2e(), o.QueueDelay(), o.MeanInSystem, o.MaxInSystem, o.MeanWaiting, o.MaxWaiting,
            o.MeanKvOccupancy, o.MaxKvOccupancy, o.Iterations.Count, o.AcceleratorSimulations, o.KernelEvents, o.Series(points));

    /// <summary>The resolved settings of a run, for its provenance hash.</summary>
    public static JsonObject Settings(int requests, long dramBytes, string scheduler, SchedulerOptions options,
        string iterationModel, int? grid, int blockTokens) => new()
    {
        ["requests"] = requests,
        ["dramBytes"] = dramBytes,
        ["scheduler"] = scheduler,
        ["maxBatch"] = options.MaxBatch,
        ["maxBatchedTokens"] = options.MaxBatchedTokens,
        ["chunkedPrefill"] = options.ChunkedPrefill,
        ["kvPolicy"] = options.KvPolicy.ToString().ToLowerInvariant(),
        ["iterationModel"] = iterationModel,
        ["gridTokens"] = grid,
        ["blockTokens"] = blockTokens,
    };

    /// <summary>SHA-256 over the request list (id, arrival ps, prompt, output), so equal request sets hash equal however they were given.</summary>
    public static string RequestsHash(IReadOnlyList<ServingRequest> requests)
    {
        var text = new StringBuilder();
        foreach (var r in requests) text.Append(r.Id).Append(',').Append(r.ArrivalPs).Append(',').Append(r.PromptTokens).Append(',').Append(r.OutputTokens).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>One row per request: arrival, lengths, latencies (empty for a request rejected as larger than the KV cache).</summary>
    public static string RequestsCsv(ServingOutcome o, Provenance provenance)
    {
        string[] columns = ["id", "arrival_s", "prompt_tokens", "output_tokens", "ttft_ms", "tpot_ms", "e2e_ms", "queue_ms", "preemptions", "rejected"];
        var rows = new List<object?[]>();
        for (int i = 0; i < o.Requests.Count; i++)
        {
            var r = o.Requests[i];
            var s = o.States[i];
            rows.Add(s is null
                ? [r.Id, r.ArrivalPs / 1e12, r.PromptTokens, r.OutputTokens, null, null, null, null, null, true]
                : [r.Id, r.ArrivalPs / 1e12, r.PromptTokens, r.OutputTokens, (s.FirstTokenPs - r.ArrivalPs) / 1e9,
                    r.OutputTokens > 1 ? (s.FinishPs - s.FirstTokenPs) / 1e9 / (r.OutputTokens - 1) : null,
                    (s.FinishPs - r.ArrivalPs) / 1e9, s.WaitingPs / 1e9, s.Preemptions, false]);
        }
        return ResultFile.Csv(columns, rows, provenance);
    }

    public static void WriteTable(IAnsiConsole console, ServeSummary s)
    {
        var table = new Table().Title($"serving {Markup.Escape(s.Model)} on {Markup.Escape(s.Design)} ({Markup.Escape(s.Scheduler)}{(s.ChunkedPrefill ? ", chunked prefill" : "")})")
            .AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("weights / KV cache", $"{Markup.Escape(s.Weights)} / {Markup.Escape(s.KvCache)}");
        table.AddRow("DRAM / weights / KV cache bytes", $"{Count(s.Memory.DramBytes)} / {Count(s.Memory.WeightBytes)} / {Count(s.Memory.Blocks * s.Memory.BlockBytes)}");
        table.AddRow("KV blocks (tokens)", $"{Count(s.Memory.Blocks)} ({Count(s.Memory.KvTokens)})");
        table.AddRow("requests completed / rejected", $"{Count(s.Completed)} of {Count(s.Requests)} / {Count(s.Rejected)}");
        table.AddRow("preemptions", Count(s.Preemptions));
        table.AddRow("duration (s)", Fixed(s.DurationS, 3));
        table.AddRow("requests/s", Fixed(s.RequestsPerSecond, 3));
        table.AddRow("output / total tokens/s", $"{Fixed(s.OutputTokensPerSecond)} / {Fixed(s.TotalTokensPerSecond)}");
        table.AddRow("accelerator utilization", Percent(s.Utilization));
        foreach (var (name, stats) in new[] { ("TTFT", s.TtftMs), ("TPOT", s.TpotMs), ("E2E", s.E2eMs), ("queue delay", s.QueueDelayMs) })
            table.AddRow($"{name} ms mean / p50 / p90 / p99", $"{Fixed(stats.MeanMs)} / {Fixed(stats.P50Ms)} / {Fixed(stats.P90Ms)} / {Fixed(stats.P99Ms)}");
        table.AddRow("in system mean / max", $"{Fixed(s.MeanInSystem)} / {Count(s.MaxInSystem)}");
        table.AddRow("waiting mean / max", $"{Fixed(s.MeanWaiting)} / {Count(s.MaxWaiting)}");
        table.AddRow("KV occupancy mean / max", $"{Percent(s.MeanKvOccupancy)} / {Percent(s.MaxKvOccupancy)}");
        table.AddRow("iterations / accelerator runs", $"{Count(s.Iterations)} / {Count(s.AcceleratorSimulations)}");
        console.Write(table);
        var series = new Table().Title("over time").AddColumn("from s").AddColumn(new TableColumn("KV occupancy").RightAligned())
            .AddColumn(new TableColumn("waiting").RightAligned()).AddColumn(new TableColumn("running").RightAligned());
        foreach (var p in s.Series) series.AddRow(Fixed(p.StartS, 2), Percent(p.KvOccupancy), Fixed(p.Waiting, 1), Fixed(p.Running, 1));
        console.Write(series);
    }
}
