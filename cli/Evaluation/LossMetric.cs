using System.Globalization;
using HwSim.Arch.Plans;
using HwSim.CostModels.Sensitivity;
using HwSim.Workloads.Inference;
using Spectre.Console;

namespace HwSim.Cli.Evaluation;

/// <summary>
/// `optimize --metric loss`: the checkpoint directory and calibration tokens the loss sensitivities are measured on,
/// and the chosen plan's calibration perplexity printed beside its latency and energy.
/// </summary>
public sealed record LossMetric(string Checkpoint, int[] Tokens, int SequenceLength)
{
    /// <summary>The loss inputs when <paramref name="metric"/> is loss (checked), else null (and no calibration allowed).</summary>
    public static LossMetric? Read(SensitivityMetric metric, string? weights, string? calibration, int sequence)
    {
        if (metric != SensitivityMetric.Loss)
            return calibration is null ? null : throw new UserInputException("option '--calibration' applies to --metric loss only");
        if (weights is null || !Directory.Exists(weights))
            throw new UserInputException("--metric loss needs --weights-file DIR, a checkpoint directory (config.json and safetensors)");
        if (calibration is null) throw new UserInputException("--metric loss needs --calibration FILE (token ids)");
        if (!File.Exists(calibration)) throw new UserInputException($"option '--calibration': file '{calibration}' does not exist");
        var tokens = TokenStream.FromFile(calibration);
        if (tokens.Length < sequence) throw new UserInputException($"{Path.GetFileName(calibration)}: {tokens.Length} tokens do not fill one window of --calibration-seq-len {sequence}");
        return new LossMetric(weights, tokens, sequence);
    }

    public void PrintPlanPerplexity(IAnsiConsole console, PrecisionPlan plan)
    {
        var model = CheckpointModel.Open(Checkpoint);
        var planned = Perplexity.Evaluate(model, Tokens, SequenceLength, null, new ForwardOptions(Quantizers: WeightChoice.FromPlan(plan, "the plan", model).Quantizers));
        var stored = Perplexity.Evaluate(model, Tokens, SequenceLength, null, new ForwardOptions());
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"calibration perplexity of the plan: {planned.Perplexity:F4} (checkpoint as stored: {stored.Perplexity:F4}; {planned.Windows} windows of {SequenceLength} tokens, prefill datatypes)")));
    }
}
