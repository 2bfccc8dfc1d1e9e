using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization.Ovp;

/// <summary>
/// Per-output-channel OVP quantization. The channel's scale is clip / max(normal); the clip is searched, as in
/// OliVe's LLM scripts, over p% of max(|mean ± 3σ|) for p = 75, 77, … 249 (or the channel absmax without a search),
/// minimizing the squared error of the OVP-decoded channel (victims included; first wins on ties).
/// </summary>
public sealed class OvpQuantizer : IWeightQuantizer
{
    public static readonly ClipSearch OliveSearch = new(0.75, 2.50, 0.02);

    private readonly OvpEncoder _encoder;
    private readonly OvpDecoder _decoder;
    private readonly IReadOnlyList<double>? _fractions;

    public OvpQuantizer(OvpFormat format, ClipSearch? clipSearch = null, ScaleFormat scaleFormat = ScaleFormat.Fp16)
    {
        Format = format;
        _encoder = new OvpEncoder(format);
        _decoder = new OvpDecoder(format);
        _fractions = clipSearch?.Fractions();
        ScaleFormat = scaleFormat;
        Name = format.Name + (clipSearch is null ? "" : "-mse");
    }

    public string Name { get; }
    public OvpFormat Format { get; }
    public ScaleFormat ScaleFormat { get; }

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        weights.EnsureFinite(Name);
        var layout = new QuantizedLayout(Name, weights.Rows, weights.Cols, Format.Bits, weights.Cols, ScaleFormat, false, 0,
            false, 0, _decoder);
        var codes = new byte[layout.Elements];
        var scales = new float[weights.Rows];
        Parallel.For(0, weights.Rows, parallel ?? new ParallelOptions(), row =>
        {
            var w = weights.Row(row);
            var normalized = new float[w.Length];
            var scratch = new int[w.Length];
            var output = codes.AsSpan(row * weights.Cols, weights.Cols);
            scales[row] = _fractions is null ? ToScale(VectorMath.AbsMax(w)) : SearchScale(w, normalized, scratch, output);
            Normalize(w, scales[row], normalized);
            _encoder.Encode(normalized, output, scratch);
        });
        return new QuantizedMatrix(layout, codes, scales, null, null);
    }

    /// <summary>Encodes pre-normalized values (weights / scale): the encoder's hot loop without the clip search.</summary>
    public void EncodeNormalized(ReadOnlySpan<float> normalized, Span<byte> codes, Span<int> scratch) =>
        _encoder.Encode(normalized, codes, scratch);

    private float ToScale(double clip) =>
        clip > 0 ? ScaleCodec.Round(ScaleFormat, (float)(clip / Format.Normal.MaxAbs)) : ScaleCodec.Round(ScaleFormat, 1);

    private float SearchScale(ReadOnlySpan<float> w, float[] normalized, int[] scratch, Span<byte> codes)
    {
        double mean = 0;
        foreach (float v in w) mean += v;
        mean /= w.Length;
        double variance = 0;
        foreach (float v in w) variance += (v - mean) * (v - mean);
        double sigma = Math.Sqrt(variance / w.Length);
        double reference = Math.Max(Math.Abs(mean + 3 * sigma), Math.Abs(mean - 3 * sigma));
        float best = ToScale(0);
        double bestError = double.PositiveInfinity;
        foreach (double fraction in _fractions!)
        {
            float scale = ToScale(fraction * reference);
            Normalize(w, scale, normalized);
            _encoder.Encode(normalized, codes, scratch);
            double error = 0;
            for (int i = 0; i + 1 < w.Length; i += 2)
            {
                var (a, b) = _decoder.DecodePair(codes[i], codes[i + 1]);
                error += Square((float)a * scale - w[i]) + Square((float)b * scale - w[i + 1]);
            }
            if (w.Length % 2 == 1) error += Square((float)_decoder.DecodeSingle(codes[^1]) * scale - w[^1]);
            if (error < bestError)
            {
                bestError = error;
                best = scale;
            }
        }
        return best;
    }

    private static double Square(double d) => d * d;

    private static void Normalize(ReadOnlySpan<float> w, float scale, Span<float> normalized) =>
        VectorMath.Divide(w, scale, normalized);
}
