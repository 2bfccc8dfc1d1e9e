using HwSim.Numerics.Gemm;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;
using HwSim.Workloads.Checkpoints;
using HwSim.Workloads.Inference;
using HwSim.Workloads.Models;

namespace HwSim.CostModels.Sensitivity;

/// <summary>
/// What a sensitivity measures: the weights' squared perturbation, the layer output's, or the increase of the model's
/// calibration loss (mean NLL) when the op alone is quantized.
/// </summary>
public enum SensitivityMetric { Weight, Output, Loss }

/// <summary>
/// How sensitivities are measured. <see cref="SampleRows"/> output channels per layer are quantized (rows quantize
/// independently, so the sample's error per row is an unbiased estimate of the layer's); <see cref="SafetensorsPath"/>
/// supplies real weights (a .safetensors file or a checkpoint directory, sharded or not, its tensors named by the
/// family's <see cref="CheckpointNameMap"/>), otherwise each op kind gets a seeded synthetic LLM-like matrix (the same for every layer, so
/// layers then differ only through the importance file).
/// </summary>
public sealed record SensitivityOptions(
    SensitivityMetric Metric = SensitivityMetric.Weight,
    int SampleRows = 128,
    int CalibrationTokens = 32,
    int Seed = 1,
    string? SafetensorsPath = null,
    string? ImportancePath = null)
{
    /// <summary>The model family, whose checkpoint name map locates each op's tensor in <see cref="SafetensorsPath"/>.</summary>
    public ModelFamily Family { get; init; } = ModelFamily.Llama;

    /// <summary>Loss metric: calibration token ids, cut into windows of <see cref="CalibrationSeqLen"/>.</summary>
    public IReadOnlyList<int>? Calibration { get; init; }

    public int CalibrationSeqLen { get; init; } = 512;
}

/// <summary>
/// Sensitivity Ω of each (layer, op, datatype), computed by numerics/ on the layer's weights (HAWQ-V3, Yao et al.,
/// ICML 2021): Ω = importance · ‖Q(W) − W‖² (weight metric), or importance · ‖X·Q(W)ᵀ − X·Wᵀ‖² per calibration
/// token (output metric, seeded FP16 calibration activations, FP32 accumulation), both scaled from the sampled
/// rows to the whole layer.
/// </summary>
public sealed class SensitivityTable
{
    private readonly Dictionary<(int, string, string), double> values;

    private SensitivityTable(Dictionary<(int, string, string), double> values) => this.values = values;

    public double Of(int layer, string op, string datatype) =>
        values.TryGetValue((layer, op, datatype), out double v) ? v
            : throw new KeyNotFoundException($"no sensitivity for layer {layer} {op} as {datatype}");

    public static SensitivityTable Measure(IReadOnlyList<LinearOpShape> ops, IReadOnlyList<string> datatypes, SensitivityOptions options)
    {
        if (options.SampleRows < 1) throw new InvalidDataException($"sample rows: must be at least 1 (got {options.SampleRows})");
        var importance = options.ImportancePath is { } path ? ImportanceFile.Load(path) : ImportanceFile.Uniform;
        importance.CheckAgainst(ops);
        if (options.Metric == SensitivityMetric.Loss) return MeasureLoss(ops, datatypes, options, importance);
        var source = options.SafetensorsPath is { } file
            ? Directory.Exists(file) ? SafetensorsCheckpoint.Open(file) : SafetensorsCheckpoint.OpenFile(file)
            : null;
        var names = CheckpointFamilies.Names(options.Family);
        var values = new Dictionary<(int, string, string), double>();
        // Synthetic weights are one matrix per op kind and shape; real weights one per layer.
        var cache = new Dictionary<(string, int, int), IReadOnlyDictionary<string, double>>();
        foreach (var op in ops)
        {
            IReadOnlyDictionary<string, double> errors;
            if (source is null)
            {
                var key = (op.Op, op.OutFeatures, op.InFeatures);
                if (!cache.TryGetValue(key, out errors!))
                    cache[key] = errors = Errors(Synthetic(op, options), op, datatypes, options);
            }
            else errors = Errors(Real(source, names, op, options), op, datatypes, options);
            double weight = importance.Of(op.Layer, op.Op);
            foreach (string datatype in datatypes) values[(op.Layer, op.Op, datatype)] = weight * errors[datatype];
        }
        return new SensitivityTable(values);
    }

    /// <summary>Ω = importance · max(0, ΔNLL) (a measured decrease is noise of the calibration set, not a gain to optimize for).</summary>
    private static SensitivityTable MeasureLoss(IReadOnlyList<LinearOpShape> ops, IReadOnlyList<string> datatypes, SensitivityOptions options, ImportanceFile importance)
    {
        if (options.SafetensorsPath is not { } directory || !Directory.Exists(directory))
            throw new InvalidDataException("loss sensitivity: needs a checkpoint directory (config.json and safetensors) as the weights");
        if (options.Calibration is not { Count: > 0 } calibration) throw new InvalidDataException("loss sensitivity: needs calibration token ids");
        var model = CheckpointModel.Open(directory);
        if (model.Shape.Family != options.Family)
            throw new InvalidDataException($"{directory}: the checkpoint is a {model.Shape.Family} model, the workload a {options.Family} model");
        foreach (var op in ops)
        {
            // The workload's op must be the checkpoint's tensor: same layer, same [out, in] shape.
            string name = op.Layer < 0 ? model.LmHeadWeight : model.Names.Linear(op.Layer, op.Op) + ".weight";
            if (op.Layer >= model.Shape.Layers) throw new InvalidDataException($"{directory}: the checkpoint has {model.Shape.Layers} layers, the workload's op {op.Op} is in layer {op.Layer}");
            model.Weights.Entry(name, op.OutFeatures, op.InFeatures);
        }
        var quantizers = datatypes.ToDictionary(d => d, d => WeightQuantizers.For(d, 1) is null ? null : (Func<int, IWeightQuantizer>?)(inFeatures => WeightQuantizers.For(d, inFeatures)!));
        var result = LossSensitivity.Measure(model, [.. calibration], options.CalibrationSeqLen, [.. ops.Select(o => (o.Layer, o.Op))], quantizers);
        var values = new Dictionary<(int, string, string), double>();
        foreach (var op in ops)
            foreach (string datatype in datatypes)
                values[(op.Layer, op.Op, datatype)] = importance.Of(op.Layer, op.Op) * Math.Max(0, result.Increase[(op.Layer, op.Op, datatype)]);
        return new SensitivityTable(values);
    }

    private static WeightMatrix Synthetic(LinearOpShape op, SensitivityOptions options)
    {
        // A stable seed per op kind (not string.GetHashCode, which varies between processes).
        int seed = options.Seed;
        foreach (char c in op.Op) seed = unchecked(seed * 31 + c);
        return SyntheticWeights.Generate(new SyntheticSpec(Math.Min(options.SampleRows, op.OutFeatures), op.InFeatures, seed));
    }

    private static WeightMatrix Real(SafetensorsCheckpoint file, CheckpointNameMap names, LinearOpShape op, SensitivityOptions options)
    {
        string name;
        try
        {
            name = names.Linear(op.Layer, op.Op) + ".weight";
        }
        catch (KeyNotFoundException e)
        {
            throw new InvalidDataException($"{file.Description}: layer {op.Layer} {op.Op}: {e.Message} in a {options.Family} checkpoint");
        }
        if (!file.Contains(name)) throw new InvalidDataException($"{file.Description}: no tensor for layer {op.Layer} {op.Op} ({name})");
        var entry = file.Entry(name);
        if (entry.Shape.Count != 2 || entry.Shape[0] != op.OutFeatures || entry.Shape[1] != op.InFeatures)
            throw new InvalidDataException($"{file.FileOf(name)}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], but the model's {op.Op} is {op.OutFeatures}x{op.InFeatures}");
        int rows = Math.Min(options.SampleRows, op.OutFeatures);
        var values = new float[rows * op.InFeatures];
        file.ReadRows(name, 0, values);
        return new WeightMatrix(rows, op.InFeatures, values);
    }

    /// <summary>Ω per datatype before importance, scaled from the sample to the whole layer.</summary>
    private static IReadOnlyDictionary<string, double> Errors(WeightMatrix sample, LinearOpShape op, IReadOnlyList<string> datatypes, SensitivityOptions options)
    {
        double toLayer = (double)op.OutFeatures / sample.Rows;
        Half[]? activations = null;
        float[]? exact = null;
        if (options.Metric == SensitivityMetric.Output)
        {
            activations = SyntheticWeights.Activations(options.CalibrationTokens, sample.Cols, options.Seed);
            exact = ReferenceGemm.Exact(activations.Select(h => (float)h).ToArray(), options.CalibrationTokens, sample);
        }
        var errors = new Dictionary<string, double>();
        foreach (string datatype in datatypes)
        {
            if (WeightQuantizers.For(datatype, sample.Cols) is not { } quantizer) { errors[datatype] = 0; continue; }
            var quantized = quantizer.Quantize(sample);
            errors[datatype] = options.Metric == SensitivityMetric.Weight
                ? ErrorMetrics.SumSquaredError(sample.Values, quantized.Dequantize()) * toLayer
                : ErrorMetrics.SumSquaredError(exact!, ReferenceGemm.Fp16ActivationsFp32Accumulate(activations!, options.CalibrationTokens, quantized))
                    * toLayer / options.CalibrationTokens;
        }
        return errors;
    }
}
