using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli;

/// <summary>
/// The workload options shared by the commands that run an LLM: a built-in <c>--model</c> or a Hugging Face
/// <c>--config</c> (config.json) with <c>--batch</c>, <c>--prompt</c> and <c>--generate</c>; or a whole traced
/// workload from <c>--trace-in</c> (a JSON Lines trace from <c>hwsim trace --out</c>), which fixes all of those.
/// </summary>
public sealed class WorkloadOptions
{
    public Option<string> Model { get; } = new("--model") { Description = "Built-in model name.", DefaultValueFactory = _ => "llama-2-7b" };
    public Option<FileInfo?> Config { get; } = new("--config") { Description = "A Hugging Face config.json to trace instead of --model." };
    public Option<FileInfo?> TraceIn { get; } = new("--trace-in") { Description = "A JSON Lines trace (from hwsim trace --out) to run instead of tracing a model." };
    public Option<long> Batch { get; } = Options.AtLeast("--batch", 1, 1, "Sequences per batch.");
    public Option<long> Prompt { get; }
    public Option<long> Generate { get; }

    public WorkloadOptions(long prompt = 2048, long generate = 128)
    {
        Prompt = Options.AtLeast("--prompt", 1, prompt, "Prompt tokens per sequence (prefill).");
        Generate = Options.AtLeast("--generate", 0, generate, "Generated tokens per sequence (decode steps).");
    }

    /// <summary>Every option of the group, for commands that reject them all in a mode they do not apply to.</summary>
    public IReadOnlyList<Option> All => [Model, Config, TraceIn, Batch, Prompt, Generate];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public Workload Trace(ParseResult parse)
    {
        if (parse.GetValue(TraceIn) is { } trace)
        {
            OptionRules.Reject(parse, "with --trace-in (the trace fixes the model, batch, prompt and generate)", Model, Config, Batch, Prompt, Generate);
            if (!trace.Exists) throw new UserInputException($"option '--trace-in': file '{trace.FullName}' does not exist");
            using var reader = trace.OpenText();
            return TraceJsonl.Read(reader, trace.Name);
        }
        ModelConfig config;
        if (parse.GetValue(Config) is { } file)
        {
            OptionRules.Reject(parse, "with --config (the config.json describes the model)", Model);
            if (!file.Exists) throw new UserInputException($"option '--config': file '{file.FullName}' does not exist");
            config = HuggingFaceConfigReader.ReadFile(file.FullName);
        }
        else config = ModelZoo.Get(parse.GetValue(Model)!);
        var request = new TraceRequest(config, Options.ToInt(parse.GetValue(Batch), "--batch"), Options.ToInt(parse.GetValue(Prompt), "--prompt"),
            Options.ToInt(parse.GetValue(Generate), "--generate"));
        return Traced(request);
    }

    /// <summary>
    /// A workload as a provenance input: its name, batch, prompt, generate, model configuration and the SHA-256 of its
    /// trace (every op and operand), so a workload from --model, --config or --trace-in hashes by what it is.
    /// </summary>
    public static JsonNode ProvenanceOf(Workload workload) => new JsonObject
    {
        ["name"] = workload.Name,
        ["batch"] = workload.Batch,
        ["prompt"] = workload.Prompt,
        ["generate"] = workload.Generate,
        ["model"] = workload.Model is null ? null : JsonSerializer.SerializeToNode(workload.Model, ResultFile.JsonOptions),
        ["traceSha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(TraceJsonl.WriteToString(workload)))),
    };

    /// <summary>The trace of <paramref name="request"/>, once it is within the tracer's limits (else a one-line input error).</summary>
    /// <param name="wholeRun">True for a run to simulate (the whole run within the tracer's limit), false for a
    /// trace summarized in closed form (each pass within it).</param>
    public static Workload Traced(TraceRequest request, bool wholeRun = true) =>
        request.Validate(wholeRun) is { } problem ? throw new UserInputException(problem) : LlmTracer.Trace(request);
}
