using System.CommandLine;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli;

/// <summary>The model, batch, prompt and generate options shared by the commands that trace an LLM.</summary>
public sealed class WorkloadOptions
{
    public Option<string> Model { get; } = new("--model") { Description = "Built-in model name.", DefaultValueFactory = _ => "llama-2-7b" };
    public Option<long> Batch { get; } = Options.AtLeast("--batch", 1, 1, "Sequences per batch.");
    public Option<long> Prompt { get; }
    public Option<long> Generate { get; }

    public WorkloadOptions(long prompt = 2048, long generate = 128)
    {
        Prompt = Options.AtLeast("--prompt", 1, prompt, "Prompt tokens per sequence (prefill).");
        Generate = Options.AtLeast("--generate", 0, generate, "Generated tokens per sequence (decode steps).");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Batch);
        command.Options.Add(Prompt);
        command.Options.Add(Generate);
    }

    public Workload Trace(ParseResult parse)
    {
        var config = ModelZoo.Get(parse.GetValue(Model)!);
        var request = new TraceRequest(config, Options.ToInt(parse.GetValue(Batch), "--batch"), Options.ToInt(parse.GetValue(Prompt), "--prompt"),
            Options.ToInt(parse.GetValue(Generate), "--generate"));
        return Traced(request);
    }

    /// <summary>The trace of <paramref name="request"/>, once it is within the tracer's limits (else a one-line input error).</summary>
    public static Workload Traced(TraceRequest request) =>
        request.Validate() is { } problem ? throw new UserInputException(problem) : LlmTracer.Trace(request);
}
