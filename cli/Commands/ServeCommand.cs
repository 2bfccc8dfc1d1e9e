using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HwSim.Arch.Fast;
using HwSim.Arch.Serving;
using HwSim.Arch.Spec;
using HwSim.Cli.Results;
using HwSim.Workloads.Models;
using Spectre.Console;

using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim serve`: requests arrive (Poisson or a CSV), a scheduler batches them, the KV cache is bounded by the DRAM
/// left after the weights, each iteration takes the accelerator model's cycles for its batch; reports TTFT, TPOT,
/// end-to-end latency, throughput, utilization, KV occupancy and queues (arch/Serving).
/// </summary>
public static class ServeCommand
{
    public const string Schema = "serve";
    public const int SchemaVersion = 1;

    public static Command Create(CliConsole console)
    {
        var design = new DesignOptions(weights: true, plan: false);
        var model = new Option<string>("--model") { Description = "Built-in model name.", DefaultValueFactory = _ => "llama-2-7b" };
        var rate = new Option<double>("--rate") { Description = "Poisson arrival rate, requests per second.", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the arrival and length draws.", DefaultValueFactory = _ => 0 };
        var duration = new Option<double?>("--duration") { Description = "Seconds of arrivals (default when --requests is not given: 60)." };
        var count = Options.OptionalAtLeast("--requests", 1, "Number of requests to generate (instead of --duration).");
        var prompt = new Option<string>("--prompt") { Description = "Prompt tokens: N, uniform:A:B, normal:MEAN:STD or lognormal:MU:SIGMA.", DefaultValueFactory = _ => "512" };
        var output = new Option<string>("--output") { Description = "Output tokens per request, same forms as --prompt.", DefaultValueFactory = _ => "128" };
        var csv = new Option<FileInfo?>("--requests-csv") { Description = "Requests from a CSV (arrival_s,prompt_tokens,output_tokens) instead of Poisson arrivals." };
        var scheduler = new Option<string>("--scheduler")
        {
            Description = $"Batching: {string.Join("; ", ServingSchedulers.All.Select(k => $"{k.Name} ({k.Description})"))}.",
            DefaultValueFactory = _ => "continuous",
        };
        // Defaults of vLLM V1's server (vllm/engine/arg_utils.py get_batch_defaults, < 70 GiB devices): 256 sequences, 2048 tokens.
        var maxBatch = Options.AtLeast("--max-batch", 1, 256, "Most sequences per iteration (vLLM max_num_seqs).");
        var maxTokens = Options.AtLeast("--max-batched-tokens", 1, 2048, "Most tokens per iteration (vLLM max_num_batched_tokens; the chunk budget with --chunked-prefill).");
        var chunked = new Option<bool>("--chunked-prefill") { Description = "Split prompts into chunks that share iterations with decodes (Sarathi-Serve, vLLM V1)." };
        var kvPolicy = new Option<string>("--kv-policy") { Description = "When the KV cache is full: preempt (recompute the latest admitted request) or reserve (reserve prompt+output at admission; requests wait).", DefaultValueFactory = _ => "preempt" };
        var capacity = new Option<string?>("--dram-capacity") { Description = "DRAM bytes (e.g. 16GiB, 24e9); overrides the design's dram.capacityBytes." };
        var blockTokens = Options.AtLeast("--block-tokens", 1, KvCache.DefaultBlockTokens, "Tokens per KV-cache block (vLLM: 16).");
        var iterationModel = new Option<string>("--iteration-model")
        {
            Description = $"How iterations are priced: {string.Join("; ", IterationCostModels.All.Select(k => $"{k.Name} ({k.Description})"))}.",
            DefaultValueFactory = _ => "separable",
        };
        var grid = Options.AtLeast("--grid-tokens", 1, 16, "Grid step of token counts and contexts for --iteration-model separable (1: every shape measured).");
        var series = Options.AtLeast("--series", 1, 20, "Points of the KV-occupancy and queue time series.");
        var trace = new Option<FileInfo?>("--trace") { Description = "Write a Chrome trace-event JSON (iterations and requests) to FILE." };
        var results = new OutputOptions();

        var command = new Command("serve", "Simulate serving an LLM under load: TTFT, TPOT, latency percentiles, throughput, KV occupancy.");
        design.AddTo(command);
        command.Options.Add(model);
        foreach (Option option in (Option[])[rate, seed, duration, count, prompt, output, csv, scheduler, maxBatch, maxTokens, chunked, kvPolicy,
                     capacity, blockTokens, iterationModel, grid, series, trace])
            command.Options.Add(option);
        results.AddTo(command);
        command.SetAction(parse =>
        {
            var spec = design.Spec(parse);
            var config = ModelZoo.Get(parse.GetValue(model)!);
            var formats = design.Formats(parse, spec, Workloads.Tracing.LlmTracer.Trace(new(config, 1, 1, 1)));
            long dramBytes = parse.GetValue(capacity) is { } text ? ParseBytes(text)
                : spec.Dram.CapacityBytes ?? throw new UserInputException(
                    $"dram.capacityBytes: the design '{spec.Name}' gives no DRAM capacity; set it in the accelerator JSON or pass --dram-capacity");
            int block = Options.ToInt(parse.GetValue(blockTokens), "--block-tokens");
            var kvCapacity = KvCapacity.Of(dramBytes, config, formats, block);
            if (kvCapacity.Blocks < 1)
                throw new UserInputException($"dram.capacityBytes: {Count(dramBytes)} bytes leave no room for the KV cache after {Count(kvCapacity.WeightBytes)} bytes of weights", 3);

            var requests = Requests(parse, rate, seed, duration, count, prompt, output, csv);
            var kind = ServingSchedulers.Find(parse.GetValue(scheduler)!)
                ?? throw new UserInputException($"option '--scheduler': unknown '{parse.GetValue(scheduler)}' (expected {string.Join(", ", ServingSchedulers.All.Select(k => k.Name))})");
            var policy = parse.GetValue(kvPolicy) switch
            {
                "preempt" => KvPolicy.Preempt,
                "reserve" => KvPolicy.Reserve,
                var other => throw new UserInputException($"option '--kv-policy': unknown '{other}' (expected preempt or reserve)"),
            };
            if (kind.Name == "static" && (parse.GetResult(chunked) is { Implicit: false } || parse.GetResult(kvPolicy) is { Implicit: false } || parse.GetResult(maxTokens) is { Implicit: false }))
                throw new UserInputException("options '--chunked-prefill', '--kv-policy' and '--max-batched-tokens' do not apply to --scheduler static (it reserves KV for whole requests and prefills whole prompts)");
            var options = new SchedulerOptions(Options.ToInt(parse.GetValue(maxBatch), "--max-batch"), Options.ToInt(parse.GetValue(maxTokens), "--max-batched-tokens"),
                parse.GetValue(chunked), policy);
            int gridTokens = Options.ToInt(parse.GetValue(grid), "--grid-tokens");
            var pricing = IterationCostModels.Find(parse.GetValue(iterationModel)!)
                ?? throw new UserInputException($"option '--iteration-model': unknown '{parse.GetValue(iterationModel)}' (expected {string.Join(", ", IterationCostModels.All.Select(k => k.Name))})");
            if (!pricing.TakesGrid && parse.GetResult(grid) is { Implicit: false })
                throw new UserInputException($"option '--grid-tokens' does not apply to --iteration-model {pricing.Name}");
            var cost = pricing.Create(spec, formats, config, gridTokens);

            ServingOutcome outcome;
            using (var progress = new ProgressReporter("serving requests", requests.Count, results.QuietOf(parse), Console.Error))
            {
                outcome = new ServingSimulation(requests, kind.Create(options), cost, new KvCache(kvCapacity.Blocks, block), spec.ClockHz,
                    n => progress.Advance(n)).Run();
            }
            if (parse.GetValue(trace) is { } traceFile) AtomicFile.Write(traceFile.FullName, stream => ServingTrace.Write(outcome, stream));

            int points = Options.ToInt(parse.GetValue(series), "--series");
            var summary = ServeReport.Of(spec, config, formats, kvCapacity, kind.Name, options, pricing.Name, outcome, points);
            var provenance = Provenance.Of(new ProvenanceInputs()
                .Add("design", spec, StrictJson.Options)
                .Add("model", JsonValue.Create(config.Name))
                .Add("settings", ServeReport.Settings(requests.Count, dramBytes, kind.Name, options, pricing.Name, pricing.TakesGrid ? gridTokens : null, block))
                .Add("requestsSha256", JsonValue.Create(ServeReport.RequestsHash(requests))));
            switch (results.FormatOf(parse))
            {
                case OutputFormat.Json:
                    results.Emit(parse, console.Out.Profile.Out.Writer, ResultFile.Json(Schema, SchemaVersion, provenance, summary));
                    break;
                case OutputFormat.Csv:
                    results.Emit(parse, console.Out.Profile.Out.Writer, ServeReport.RequestsCsv(outcome, provenance));
                    break;
                default:
                    if (results.OutOf(parse) is not null) throw new UserInputException("option '--out' needs --format json or csv");
                    ServeReport.WriteTable(console.Out, summary);
                    break;
            }
            return HwSimCli.ExitOk;
        });
        return command;
    }

    private static IReadOnlyList<ServingRequest> Requests(ParseResult parse, Option<double> rate, Option<int> seed, Option<double?> duration,
        Option<long?> count, Option<string> prompt, Option<string> output, Option<FileInfo?> csv)
    {
        if (parse.GetValue(csv) is { } file)
        {
            foreach (Option option in (Option[])[rate, seed, duration, count, prompt, output])
                if (parse.GetResult(option) is { Implicit: false })
                    throw new UserInputException($"option '{option.Name}' does not apply with --requests-csv (the file gives arrivals and lengths)");
            using var reader = file.OpenText();
            return RequestSource.ReadCsv(reader, file.Name);
        }
        double perSecond = parse.GetValue(rate);
        if (!(perSecond > 0) || !double.IsFinite(perSecond)) throw new UserInputException($"option '--rate' must be a positive number (got {perSecond})");
        double? seconds = parse.GetValue(duration);
        long? n = parse.GetValue(count);
        if (seconds is not null && n is not null) throw new UserInputException("options '--duration' and '--requests' both end the arrivals; give one");
        if (seconds is { } s && (!(s > 0) || !(s <= RequestSource.MaxArrivalSeconds)))
            throw new UserInputException($"option '--duration' must be a number of seconds above 0 and at most 1e6 (got {s})");
        if (seconds is null && n is null) seconds = 60;
        var lengths = (LengthDistribution.Parse(parse.GetValue(prompt)!, "--prompt"), LengthDistribution.Parse(parse.GetValue(output)!, "--output"));
        return RequestSource.Poisson(perSecond, parse.GetValue(seed), seconds, n is { } c ? Options.ToInt(c, "--requests") : null, lengths.Item1, lengths.Item2);
    }

    /// <summary>A byte count: an integer or a number with a unit (KB, MB, GB: powers of 1000; KiB, MiB, GiB: powers of 1024).</summary>
    public static long ParseBytes(string text)
    {
        string t = text.Trim();
        (string Suffix, double Factor)[] units = [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1)];
        double factor = 1;
        foreach (var (suffix, f) in units)
            if (t.EndsWith(suffix, StringComparison.Ordinal)) { t = t[..^suffix.Length]; factor = f; break; }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value * factor < 1 || value * factor > 9e18)
            throw new UserInputException($"option '--dram-capacity': '{text}' is not a byte count (e.g. 16GiB, 24e9)");
        return (long)Math.Round(value * factor);
    }
}
