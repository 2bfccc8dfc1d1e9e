using HwSim.Numerics.Gemm;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;

namespace HwSim.CostModels.Sensitivity;

/// <summary>What a sensitivity measures: the weights' squared perturbation, or the layer output's.</summary>
public enum SensitivityMetric { Weight, Output }

/// <summary>
/// How sensitivities are measured. <see cref="SampleRows"/> output channels per layer are quantized (rows quantize
/// independently, so the sample's error per row is an unbiased estimate of the layer's); <see cref="SafetensorsPath"/>
/// supplies real weights, otherwise each op kind gets a seeded synthetic LLM-like matrix (the same for every layer, so
/// layers then differ only through the importance file).
/// </summary>
public sealed record SensitivityOptions(
    SensitivityMetric Metric = SensitivityMetric.Weight,
    int SampleRows = 128,
    int CalibrationTokens = 32,
    int Seed = 1,
    string? SafetensorsPath = null,
    string? ImportancePath = null);

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
        var source = options.SafetensorsPath is { } file ? SafetensorsFile.Open(file) : null;
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
            else errors = Errors(Real(source, op, options), op, datatypes, options);
            double weight = importance.Of(op.Layer, op.Op);
            foreach (string datatype in datatypes) values[(op.Layer, op.Op, datatype)] = weight * errors[datatype];
        }
        return new SensitivityTable(values);
    }

    private static WeightMatrix Synthetic(LinearOpShape op, SensitivityOptions options)
    {
        // A stable seed per op kind (not string.GetHashCode, which varies between processes).
        int seed = options.Seed;
        foreach (char c in op.Op) seed = unchecked(seed * 31 + c);
        return SyntheticWeights.Generate(new SyntheticSpec(Math.Min(options.SampleRows, op.OutFeatures), op.InFeatures, seed));
    }

    private static WeightMatrix Real(SafetensorsFile file, LinearOpShape op, SensitivityOptions options)
    {
        string suffix = $".{op.Op}.weight";
        string layer = $"layers.{op.Layer}.";
        var entry = file.Entries.FirstOrDefault(e => op.Layer < 0 ? e.Name == $"{op.Op}.weight" || e.Name.EndsWith(suffix, StringComparison.Ordinal) && !e.Name.Contains(".layers.", StringComparison.Ordinal)
                : e.Name.EndsWith(suffix, StringComparison.Ordinal) && e.Name.Contains(layer, StringComparison.Ordinal))
            ?? throw new InvalidDataException($"{Path.GetFileName(options.SafetensorsPath)}: no tensor for layer {op.Layer} {op.Op} (looked for *{layer}*{suffix})");
        var matrix = file.Read(entry.Name).ToMatrix();
        if (matrix.Rows != op.OutFeatures || matrix.Cols != op.InFeatures)
            throw new InvalidDataException($"{entry.Name}: shape {matrix.Rows}x{matrix.Cols}, but the model's {op.Op} is {op.OutFeatures}x{op.InFeatures}");
        int rows = Math.Min(options.SampleRows, matrix.Rows);
        return new WeightMatrix(rows, matrix.Cols, matrix.Values.AsSpan(0, rows * matrix.Cols).ToArray());
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
