using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// Scaled quantization onto one codebook. Symmetric: scale = clip / max|codebook|, code = nearest(w / scale).
/// Asymmetric (unsigned integer codebooks): the range [min(w, 0), max(w, 0)] shrunk by the clip fraction maps onto
/// 0 … 2^b − 1, zero point z = round(−min / scale), code = nearest(w / scale + z). The clip is the group's absmax
/// (or range), or the candidate of a <see cref="ClipSearch"/> with the smallest squared error (first wins on ties).
/// A group of zeros gets scale 1.
/// </summary>
public sealed class CodebookQuantizer : IWeightQuantizer
{
    private readonly NearestValueKernel _kernel;

    public CodebookQuantizer(Codebook codebook, Granularity granularity, ScaleFormat scaleFormat = ScaleFormat.Fp16,
        ClipSearch? clipSearch = null, bool asymmetric = false, string? name = null)
    {
        if (asymmetric && (codebook.MinValue != 0 || codebook.SortedValues.Length != codebook.CodeCount))
            throw new ArgumentException($"asymmetric quantization needs an unsigned integer codebook, not {codebook.Name}", nameof(asymmetric));
        Codebook = codebook;
        Granularity = granularity;
        ScaleFormat = scaleFormat;
        Fractions = clipSearch?.Fractions() ?? [1.0];
        Asymmetric = asymmetric;
        _kernel = new NearestValueKernel(codebook);
        Name = name ?? codebook.Name + (asymmetric ? "-asym" : "") + granularity.Suffix + (clipSearch is null ? "" : "-mse");
    }

    public string Name { get; }
    public Codebook Codebook { get; }
    public Granularity Granularity { get; }
    public ScaleFormat ScaleFormat { get; }
    public IReadOnlyList<double> Fractions { get; }
    public bool Asymmetric { get; }

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        weights.EnsureFinite(Name);
        int groupSize = Granularity.GroupSizeFor(weights.Cols);
        bool perTensor = Granularity.Kind == GranularityKind.PerTensor;
        var layout = new QuantizedLayout(Name, weights.Rows, weights.Cols, Codebook.Bits, groupSize, ScaleFormat,
            Asymmetric, 0, false, 0, new CodebookDecoder(Codebook), perTensor);
        var codes = new byte[layout.Elements];
        var scales = new float[layout.GroupCount];
        var zeroPoints = Asymmetric ? new byte[layout.GroupCount] : null;
        if (perTensor)
        {
            var (scale, zero) = ChooseScale(weights.Values, new float[weights.Values.Length], new float[weights.Values.Length]);
            Array.Fill(scales, scale);
            if (zeroPoints is not null) Array.Fill(zeroPoints, zero);
        }
        Parallel.For(0, weights.Rows, parallel ?? new ParallelOptions(), row =>
        {
            var values = new float[groupSize];
            var quantized = new float[groupSize];
            var indices = new int[groupSize];
            for (int start = 0, group = row * layout.GroupsPerRow; start < weights.Cols; start += groupSize, group++)
            {
                var w = weights.Row(row)[start..Math.Min(start + groupSize, weights.Cols)];
                if (!perTensor)
                {
                    var (scale, zero) = ChooseScale(w, values, quantized);
                    scales[group] = scale;
                    if (zeroPoints is not null) zeroPoints[group] = zero;
                }
                Normalize(w, scales[group], zeroPoints?[group] ?? 0, values);
                _kernel.NearestIndices(values.AsSpan(0, w.Length), indices);
                var output = codes.AsSpan(row * weights.Cols + start, w.Length);
                for (int i = 0; i < w.Length; i++) output[i] = Codebook.SortedCodes[indices[i]];
            }
        });
        return new QuantizedMatrix(layout, codes, scales, zeroPoints, null);
    }

    /// <summary>The clip candidate with the smallest error; <paramref name="values"/> and <paramref name="quantized"/> are scratch.</summary>
    private (float Scale, byte ZeroPoint) ChooseScale(ReadOnlySpan<float> w, float[] values, float[] quantized)
    {
        float low = 0, high = 0;
        foreach (float v in w)
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        if (low == 0 && high == 0) return (ScaleCodec.Round(ScaleFormat, 1), 0);
        if (Fractions.Count == 1) return ScaleFor(Fractions[0], low, high);
        (float Scale, byte ZeroPoint) best = default;
        double bestError = double.PositiveInfinity;
        foreach (double fraction in Fractions)
        {
            var (scale, zero) = ScaleFor(fraction, low, high);
            Normalize(w, scale, zero, values);
            _kernel.NearestValues(values.AsSpan(0, w.Length), quantized);
            double error = VectorMath.SquaredError(quantized.AsSpan(0, w.Length), zero, scale, w);
            if (error < bestError)
            {
                bestError = error;
                best = (scale, zero);
            }
        }
        return best;
    }

    private (float Scale, byte ZeroPoint) ScaleFor(double fraction, float low, float high)
    {
        if (!Asymmetric) return (ScaleCodec.Round(ScaleFormat, (float)(fraction * Math.Max(-low, high) / Codebook.MaxAbs)), 0);
        float scale = ScaleCodec.Round(ScaleFormat, (float)(fraction * (high - low) / Codebook.MaxValue));
        return (scale, (byte)Math.Clamp(Math.Round(-fraction * low / scale, MidpointRounding.ToEven), 0, Codebook.MaxValue));
    }

    private static void Normalize(ReadOnlySpan<float> w, float scale, byte zero, Span<float> values)
    {
        for (int i = 0; i < w.Length; i++) values[i] = w[i] / scale + zero;
    }
}
