using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>Which codebook value a symmetric quantizer maps the clip onto.</summary>
public enum ClipTarget
{
    /// <summary>The largest magnitude (int4: 8 for a two's-complement grid): no value saturates below the clip.</summary>
    LargestMagnitude,

    /// <summary>
    /// The largest positive value, as ANT's quantizer does (scale = alpha / max(quant_grid),
    /// ant_quantization/antquant/quant_modules.py <c>_forward</c>, clevercool/ANT-Quantization @bc84067): int4's −8
    /// then sits at −8/7 of the clip.
    /// </summary>
    LargestPositive,

    /// <summary>
    /// GPTQ's symmetric mode on a full two's-complement grid (2^b levels): scale = (xmax − xmin) / (2^b − 1) with
    /// xmax = max|w| and xmin = −xmax when the group has a negative weight, else 0, codes
    /// clamp(round(w / scale) + 2^(b−1), 0, 2^b − 1) (IST-DASLab/gptq @2d65066, quant.py <c>find_params</c> and
    /// <c>quantize</c>, zero = (maxq + 1) / 2). The clip thus maps onto 2^(b−1) − ½ (int4: 7.5).
    /// </summary>
    GptqRange,
}

/// <summary>
/// Scaled quantization onto one codebook. Symmetric: scale = clip / max|codebook| (or / max(codebook), see
/// <see cref="ClipTarget"/>), code = nearest(w / scale).
/// Asymmetric (unsigned integer codebooks): the range [min(w, 0), max(w, 0)] shrunk by the clip fraction maps onto
/// 0 … 2^b − 1, zero point z = round(−min / scale), code = nearest(w / scale + z). The clip is the group's absmax
/// (or range), or the candidate of a <see cref="ClipSearch"/> with the smallest squared error (first wins on ties).
/// A group of zeros gets scale 1.
/// </summary>
public sealed class CodebookQuantizer : IWeightQuantizer
{
    private readonly NearestValueKernel _kernel;
    private readonly double _clipValue;
    private readonly ClipTarget _clipTarget;

    public CodebookQuantizer(Codebook codebook, Granularity granularity, ScaleFormat scaleFormat = ScaleFormat.Fp16,
        ClipSearch? clipSearch = null, bool asymmetric = false, string? name = null, ClipTarget clipTarget = ClipTarget.LargestMagnitude)
    {
        if (asymmetric && (codebook.MinValue != 0 || codebook.SortedValues.Length != codebook.CodeCount))
            throw new ArgumentException($"asymmetric quantization needs an unsigned integer codebook, not {codebook.Name}", nameof(asymmetric));
        Codebook = codebook;
        Granularity = granularity;
        ScaleFormat = scaleFormat;
        Fractions = clipSearch?.Fractions() ?? [1.0];
        Asymmetric = asymmetric;
        _clipTarget = clipTarget;
        _clipValue = clipTarget switch
        {
            ClipTarget.LargestPositive => codebook.MaxValue,
            ClipTarget.GptqRange => (codebook.MaxValue - codebook.MinValue) / 2,
            _ => codebook.MaxAbs,
        };
        if (!(_clipValue > 0)) throw new ArgumentException($"{codebook.Name} has no positive value to map the clip onto", nameof(clipTarget));
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
        if (!Asymmetric)
        {
            double clip = fraction * Math.Max(-low, high);
            // GPTQ keeps xmin = 0 for a group without negative weights: its range [0, xmax] spans all 2^b − 1 steps.
            if (_clipTarget == ClipTarget.GptqRange && low == 0) clip /= 2;
            return (ScaleCodec.Round(ScaleFormat, (float)(clip / _clipValue)), 0);
        }
        float scale = ScaleCodec.Round(ScaleFormat, (float)(fraction * (high - low) / Codebook.MaxValue));
        return (scale, (byte)Math.Clamp(Math.Round(-fraction * low / scale, MidpointRounding.ToEven), 0, Codebook.MaxValue));
    }

    private static void Normalize(ReadOnlySpan<float> w, float scale, byte zero, Span<float> values)
    {
        for (int i = 0; i < w.Length; i++) values[i] = w[i] / scale + zero;
    }
}
