using System.CommandLine;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using HwSim.Arch.Fast;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli;

/// <summary>
/// The design options of the commands that take a design: <c>--arch</c> (a preset or a JSON description), and, where
/// the command runs weights, <c>--weights</c> (one datatype, or PREFILL/DECODE) and <c>--plan</c> (a precision plan,
/// checked against the workload). Parsing, defaults, errors and help text are defined here once.
/// </summary>
public sealed class DesignOptions
{
    public Option<string> Arch { get; } = new("--arch")
    {
        Description = $"Preset ({string.Join(", ", Presets.Names)}) or accelerator JSON file.",
        DefaultValueFactory = _ => "bitmod",
    };

    public Option<string?> Weights { get; } = new("--weights")
    {
        Description = "Weight datatype of both phases, or PREFILL/DECODE (default: the accelerator's defaultWeights, and decodeWeights in decode).",
    };

    public Option<string?> Plan { get; } = new("--plan")
    {
        Description = "A precision plan (JSON, from hwsim optimize): per-op weight datatypes, optionally per phase.",
    };

    private readonly bool takesWeights, takesPlan;

    /// <param name="weights">Whether the command takes --weights.</param>
    /// <param name="plan">Whether the command takes --plan.</param>
    public DesignOptions(bool weights = true, bool plan = true)
    {
        takesWeights = weights;
        takesPlan = plan;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Arch);
        if (takesWeights) command.Options.Add(Weights);
        if (takesPlan) command.Options.Add(Plan);
    }

    /// <summary>The accelerator --arch names.</summary>
    public AcceleratorSpec Spec(ParseResult parse) => LoadArch(parse.GetValue(Arch)!);

    /// <summary>A preset by name, or an accelerator JSON file; errors name <paramref name="option"/>.</summary>
    public static AcceleratorSpec LoadArch(string name, string option = "--arch")
    {
        if (Presets.Find(name) is { } preset) return preset;
        if (File.Exists(name)) return AcceleratorSpecJson.Load(name);
        throw new UserInputException($"{option}: '{name}' is neither a preset ({string.Join(", ", Presets.Names)}) nor a file");
    }

    /// <summary>
    /// The run formats of <paramref name="spec"/> on <paramref name="workload"/>: its defaults, --weights, or --plan
    /// (validated against the workload).
    /// </summary>
    public RunFormats Formats(ParseResult parse, AcceleratorSpec spec, Workload workload)
    {
        string? weights = takesWeights ? parse.GetValue(Weights) : null;
        if (takesPlan && parse.GetValue(Plan) is { } path)
        {
            if (weights is not null) throw new UserInputException("options '--plan' and '--weights' both choose the weights; give one");
            var plan = Checked(PrecisionPlanJson.Load(Options.ExistingFile(path, "--plan")!), path, workload);
            return Catch(() => RunFormats.FromPlan(spec, plan));
        }
        var (prefill, decode) = ParseWeights(weights, "--weights");
        return Catch(() => RunFormats.Default(spec, prefill, decode));
    }

    /// <summary>
    /// The plan --plan names, or null; when it was made for a built-in model, it is checked against that model's
    /// layers and ops.
    /// </summary>
    public PrecisionPlan? LoadPlan(ParseResult parse)
    {
        if (!takesPlan || parse.GetValue(Plan) is not { } path) return null;
        var plan = PrecisionPlanJson.Load(Options.ExistingFile(path, "--plan")!);
        return ModelZoo.All.FirstOrDefault(m => m.Name == plan.Model) is { } model
            ? Checked(plan, path, LlmTracer.Trace(new TraceRequest(model, 1, 1, 1)))
            : plan;
    }

    /// <summary><paramref name="plan"/>, read from <paramref name="path"/>, once it is checked against <paramref name="workload"/>.</summary>
    private static PrecisionPlan Checked(PrecisionPlan plan, string path, Workload workload) =>
        PlanWorkloadValidator.Validate(plan, workload) is { } problem ? throw new InvalidDataException($"{Path.GetFileName(path)}: {problem}") : plan;

    /// <summary>
    /// Adds the resolved design (as its JSON file would state it), and the --weights or --plan given, to a run's
    /// provenance inputs.
    /// </summary>
    public void AddProvenance(ParseResult parse, ProvenanceInputs inputs, AcceleratorSpec spec)
    {
        inputs.Add("design", spec, StrictJson.Options);
        if (takesWeights && parse.GetValue(Weights) is { } weights) inputs.Add("weights", JsonValue.Create(weights));
        if (takesPlan && parse.GetValue(Plan) is { } path)
            inputs.Add("plan", PrecisionPlanJson.Load(path) with { Provenance = null }, StrictJson.Options);
    }

    /// <summary>Rejects the design options given on a command line where <paramref name="mode"/> chooses the designs instead.</summary>
    public void RejectWith(ParseResult parse, string mode)
    {
        foreach (Option option in (Option[])[Arch, Weights, Plan])
            if (parse.GetResult(option) is { Implicit: false })
                throw new UserInputException($"option '{option.Name}' does not apply with {mode} (name designs there as design or design:datatype)");
    }

    /// <summary>"bitmod3" (both phases) or "bitmod4/bitmod3" (prefill/decode); null stays null.</summary>
    public static (string? Prefill, string? Decode) ParseWeights(string? text, string what)
    {
        if (text is null) return (null, null);
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
            throw new UserInputException($"{what}: '{text}' is not a datatype or PREFILL/DECODE datatypes");
        return (parts[0], parts.Length == 2 ? parts[1] : parts[0]);
    }

    private static RunFormats Catch(Func<RunFormats> formats)
    {
        try
        {
            return formats();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }
    }
}
