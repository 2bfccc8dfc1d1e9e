using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// BitMoD per-group mixture of datatypes (Chen et al., HPCA 2025, Sec. III-B). For every group of G weights along
/// the input channel and every candidate D of <see cref="BitmodTypes.Candidates"/> (in type-id order):
/// scale_D = clamp(max|w| / max|D|, 1e-5, 1e4) rounded to the scale format; q = the value of D nearest to
/// w / scale_D (ties to the lower value); error_D = Σ (q · scale_D − w)². The group keeps the D with the smallest
/// error, the first on ties, and stores its codes, its scale and its 2-bit type id.
/// </summary>
public sealed class BitmodQuantizer : IWeightQuantizer
{
    /// <summary>Scale clamp of the public quantizer (abdelfattah-lab/BitMoD-HPCA-25).</summary>
    public const float MinScale = 1e-5f, MaxScale = 1e4f;
    public const int TypeIdBits = 2;

    private readonly NearestValueKernel[] _kernels;
    private readonly float[][] _values;

    public BitmodQuantizer(int bits, int groupSize = 128, ScaleFormat scaleFormat = ScaleFormat.Fp16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        Bits = bits;
        Candidates = BitmodTypes.Candidates(bits);
        GroupSize = groupSize;
        ScaleFormat = scaleFormat;
        _kernels = [.. Candidates.Select(c => new NearestValueKernel(c))];
        _values = [.. Candidates.Select(c => c.SortedValues.ToArray().Select(v => (float)v).ToArray())];
        Name = $"bitmod{bits}-g{groupSize}";
    }

    public string Name { get; }
    public int Bits { get; }
    public int GroupSize { get; }
    public ScaleFormat ScaleFormat { get; }
    public IReadOnlyList<Codebook> Candidates { get; }

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        weights.EnsureFinite(Name);
        int groupSize = Math.Min(GroupSize, weights.Cols);
        var layout = new QuantizedLayout(Name, weights.Rows, weights.Cols, Bits, groupSize, ScaleFormat, false,
            TypeIdBits, false, 0, new CodebookDecoder(Candidates));
        var codes = new byte[layout.Elements];
        var scales = new float[layout.GroupCount];
        var typeIds = new byte[layout.GroupCount];
        Parallel.For(0, weights.Rows, parallel ?? new ParallelOptions(), () => new Workspace(groupSize, Candidates.Count), (row, _, workspace) =>
        {
            for (int start = 0, group = row * layout.GroupsPerRow; start < weights.Cols; start += groupSize, group++)
            {
                var w = weights.Row(row)[start..Math.Min(start + groupSize, weights.Cols)];
                var (typeId, scale) = QuantizeGroup(w, workspace);
                scales[group] = scale;
                typeIds[group] = (byte)typeId;
                var sortedCodes = Candidates[typeId].SortedCodes;
                var indices = workspace.Indices[typeId];
                var output = codes.AsSpan(row * weights.Cols + start, w.Length);
                for (int i = 0; i < w.Length; i++) output[i] = sortedCodes[indices[i]];
            }
            return workspace;
        }, _ => { });
        return new QuantizedMatrix(layout, codes, scales, null, typeIds);
    }

    private sealed class Workspace(int groupSize, int candidates)
    {
        public readonly float[] Normalized = new float[groupSize];
        public readonly int[][] Indices = [.. Enumerable.Range(0, candidates).Select(_ => new int[groupSize])];
    }

    private (int TypeId, float Scale) QuantizeGroup(ReadOnlySpan<float> w, Workspace workspace)
    {
        float absMax = 0;
        foreach (float v in w) absMax = Math.Max(absMax, Math.Abs(v));
        int bestId = 0;
        float bestScale = 0;
        double bestError = double.PositiveInfinity;
        float previousScale = float.NaN;
        var normalized = workspace.Normalized.AsSpan(0, w.Length);
        for (int id = 0; id < Candidates.Count; id++)
        {
            float scale = ScaleCodec.Round(ScaleFormat, Math.Clamp(absMax / (float)Candidates[id].MaxAbs, MinScale, MaxScale));
            if (scale != previousScale)
            {
                for (int i = 0; i < w.Length; i++) normalized[i] = w[i] / scale;
                previousScale = scale;
            }
            var indices = workspace.Indices[id];
            _kernels[id].NearestIndices(normalized, indices);
            var values = _values[id];
            double error = 0;
            for (int i = 0; i < w.Length; i++)
            {
                double d = values[indices[i]] * scale - w[i];
                error += d * d;
            }
            if (error < bestError)
            {
                bestError = error;
                bestId = id;
                bestScale = scale;
            }
        }
        return (bestId, bestScale);
    }
}
