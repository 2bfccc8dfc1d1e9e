using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HwSim.Arch.Plans;
using HwSim.Cli.Evaluation;
using HwSim.Cli.Results;
using HwSim.Workloads.Inference;
using Spectre.Console;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim evaluate`: perplexity of a Hugging Face checkpoint on CPU, with its weights as stored, quantized by one
/// datatype, or quantized by a precision plan, and activations in FP32, BF16 or FP16 (GPTQ's window protocol).
/// </summary>
public static class EvaluateCommand
{
    public const string Schema = "evaluate";
    public const int SchemaVersion = 1;

    /// <summary>The result of one evaluation (the JSON "result" object).</summary>
    public sealed record EvaluationResult(
        string Checkpoint, string ModelFamily, long Parameters, string Weights, string Activations, string Tokens,
        int SeqLen, int Windows, long PredictedTokens, double MeanNll, double Perplexity, double? WeightSqnrDb, IReadOnlyList<double> WindowNll);

    public static Command Create(CliConsole console)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Hugging Face checkpoint directory (config.json, safetensors, tokenizer.json).", Required = true };
        var dtype = new Option<string?>("--dtype") { Description = "Quantize every decoder-layer linear op to this weight datatype (e.g. bitmod3, int4-asym)." };
        var group = Options.OptionalAtLeast("--group", 1, "Group size for --dtype (default: the datatype's storage layout).");
        var plan = new Option<string?>("--plan") { Description = "Quantize by a precision plan (from optimize); the prefill datatypes are used." };
        var activations = new Option<string>("--activations") { Description = "Activation format: fp32, bf16 or fp16.", DefaultValueFactory = _ => "fp32" };
        var text = new Option<string?>("--text") { Description = "Text file, tokenized with the checkpoint's tokenizer.json." };
        var tokens = new Option<string?>("--tokens") { Description = "Token ids: whitespace-separated integers, or an .npy integer array." };
        var seqLen = Options.AtLeast("--seq-len", 2, 2048, "Window length in tokens (non-overlapping windows).");
        var maxWindows = Options.OptionalAtLeast("--max-windows", 1, "Evaluate at most this many windows.");
        var output = new OutputOptions();
        var command = new Command("evaluate", "Perplexity of a checkpoint on CPU with quantized weights (GPTQ's window protocol).")
        {
            checkpoint, dtype, group, plan, activations, text, tokens, seqLen, maxWindows,
        };
        output.AddTo(command);
        command.SetAction(parse =>
        {
            string directory = parse.GetValue(checkpoint)!;
            if (!Directory.Exists(directory)) throw new UserInputException($"option '--checkpoint': directory '{directory}' does not exist");
            string? dtypeName = parse.GetValue(dtype), planPath = parse.GetValue(plan), textPath = parse.GetValue(text), tokenPath = parse.GetValue(tokens);
            long? groupSize = parse.GetValue(group);
            if (dtypeName is not null && planPath is not null) throw new UserInputException("give at most one of --dtype and --plan");
            if (groupSize is not null && dtypeName is null) throw new UserInputException("option '--group' needs --dtype");
            if ((textPath is null) == (tokenPath is null)) throw new UserInputException("give exactly one of --text and --tokens");
            string inputPath = (textPath ?? tokenPath)!;
            if (!File.Exists(inputPath)) throw new UserInputException($"option '{(textPath is null ? "--tokens" : "--text")}': file '{inputPath}' does not exist");
            if (planPath is not null && !File.Exists(planPath)) throw new UserInputException($"option '--plan': file '{planPath}' does not exist");
            string activationName = parse.GetValue(activations)!;
            var format = ActivationRounding.TryParse(activationName)
                ?? throw new UserInputException($"option '--activations': '{activationName}' is not fp32, bf16 or fp16");
            int sequence = Options.ToInt(parse.GetValue(seqLen), "--seq-len");
            int? windowsLimit = parse.GetValue(maxWindows) is { } m ? Options.ToInt(m, "--max-windows") : null;

            var model = CheckpointModel.Open(directory);
            var weights = dtypeName is not null ? WeightChoice.Uniform(dtypeName, groupSize is { } g ? Options.ToInt(g, "--group") : null)
                : planPath is not null ? WeightChoice.FromPlan(PrecisionPlanJson.Load(planPath), Path.GetFileName(planPath), model)
                : WeightChoice.None;
            int[] ids = textPath is not null ? TokenStream.FromText(directory, textPath) : TokenStream.FromFile(tokenPath!);
            int windows = Perplexity.WindowCount(ids.Length, sequence, windowsLimit);
            if (windows < 1) throw new UserInputException($"{Path.GetFileName(inputPath)}: {ids.Length} tokens do not fill one window of --seq-len {sequence}");

            var steps = (long)model.Shape.Layers * Perplexity.Batches(model.Shape, windows, sequence);
            PerplexityResult result;
            var errors = new WeightErrorTally();
            using (var progress = new ProgressReporter("evaluating decoder layers", steps, output.QuietOf(parse), parse.InvocationConfiguration.Error))
                result = Perplexity.Evaluate(model, ids, sequence, windowsLimit, new ForwardOptions(format, weights.Quantizers) { LayerDone = _ => progress.Advance(), WeightErrors = errors });

            var report = new EvaluationResult(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), model.Shape.Family.ToString().ToLowerInvariant(),
                model.ParameterCount, weights.Description, format.Name(), $"{Path.GetFileName(inputPath)} ({ids.Length} tokens{(textPath is not null ? ", tokenizer.json" : "")})",
                sequence, result.Windows, result.PredictedTokens, result.MeanNll, result.Perplexity, errors.SqnrDb, result.WindowNll);
            Write(parse, output, console, report, () => Inputs(directory, model, dtypeName, groupSize, planPath, format, inputPath, textPath is not null, sequence, windowsLimit));
            return HwSimCli.ExitOk;
        });
        return command;
    }

    private static ProvenanceInputs Inputs(string directory, CheckpointModel model, string? dtype, long? group, string? plan, ActivationFormat format,
        string input, bool isText, int sequence, int? maxWindows)
    {
        var inputs = new ProvenanceInputs()
            .AddFile("config", Path.Combine(directory, "config.json"))
            .Add("options", new JsonObject
            {
                ["dtype"] = dtype, ["group"] = group, ["activations"] = format.Name(), ["seqLen"] = sequence, ["maxWindows"] = maxWindows,
                ["input"] = isText ? "text" : "tokens",
            })
            .AddFile(isText ? "text" : "tokens", input);
        foreach (string file in model.Weights.Files) inputs.AddFile("weights/" + file, Path.Combine(directory, file));
        if (isText) inputs.AddFile("tokenizer", Path.Combine(directory, TokenStream.TokenizerFile));
        if (plan is not null) inputs.AddFile("plan", plan);
        return inputs;
    }

    /// <summary>Writes the result; the provenance (which hashes every weight file) is computed only for JSON and CSV.</summary>
    private static void Write(ParseResult parse, OutputOptions output, CliConsole console, EvaluationResult r, Func<ProvenanceInputs> inputs)
    {
        switch (output.FormatOf(parse))
        {
            case OutputFormat.Json:
                output.Emit(parse, parse.InvocationConfiguration.Output, ResultFile.Json(Schema, SchemaVersion, Provenance.Of(inputs()), r));
                return;
            case OutputFormat.Csv:
                output.Emit(parse, parse.InvocationConfiguration.Output, ResultFile.Csv(
                    ["checkpoint", "model_family", "parameters", "weights", "activations", "tokens", "seq_len", "windows", "predicted_tokens", "mean_nll", "perplexity", "weight_sqnr_db"],
                    [[r.Checkpoint, r.ModelFamily, r.Parameters, r.Weights, r.Activations, r.Tokens, r.SeqLen, r.Windows, r.PredictedTokens, r.MeanNll, r.Perplexity, r.WeightSqnrDb]],
                    Provenance.Of(inputs())));
                return;
        }
        var table = new Table().AddColumn("").AddColumn("");
        table.HideHeaders();
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("checkpoint", $"{r.Checkpoint} ({r.ModelFamily}, {r.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters)");
        Row("weights", r.Weights);
        Row("activations", r.Activations);
        Row("tokens", r.Tokens);
        Row("windows", $"{r.Windows} x {r.SeqLen} tokens, {r.PredictedTokens.ToString(CultureInfo.InvariantCulture)} predicted");
        Row("mean NLL", r.MeanNll.ToString("F6", CultureInfo.InvariantCulture) + " nats/token");
        Row("perplexity", r.Perplexity.ToString("F4", CultureInfo.InvariantCulture));
        if (r.WeightSqnrDb is { } sqnr) Row("weight SQNR", sqnr.ToString("F2", CultureInfo.InvariantCulture) + " dB over the quantized weights");
        if (output.OutOf(parse) is { } file)
        {
            var writer = new StringWriter();
            var plain = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            plain.Profile.Width = 200;
            plain.Write(table);
            AtomicFile.WriteText(file.FullName, writer.ToString());
        }
        else console.Out.Write(table);
    }
}
