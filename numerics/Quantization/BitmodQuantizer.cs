using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// BitMoD per-group mixture of datatypes (Chen et al., HPCA 2025, Sec. III-B). For every group of G weights along
/// the input channel and every candidate D of <see cref="BitmodTypes.Candidates"/> (in type-id order):
/// scale_D = clamp(max|w| / max|D|, 1e-5, 1e4) rounded to the scale format; q = the value of D nearest to
/// w / scale_D (ties to the lower value); error_D = Σ (q · scale_D − w)². The group keeps the D with the smallest
/// error, the first on ties, and stores its codes, its scale and its 2-bit type id. Each difference is rounded to float
/// (as dequantization computes it) and the squares are summed in double.
/// </summary>
public sealed class BitmodQuantizer : IWeightQuantizer
{
    /// <summary>Scale clamp of the public quantizer (abdelfattah-lab/BitMoD-HPCA-25).</summary>
    public const float MinScale = 1e-5f, MaxScale = 1e4f;
    public const int TypeIdBits = 2;

    private readonly NearestValueKernel[] _kernels;

    public BitmodQuantizer(int bits, int groupSize = 128, ScaleFormat scaleFormat = ScaleFormat.Fp16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        Bits = bits;
        Candidates = BitmodTypes.Candidates(bits);
        GroupSize = groupSize;
        ScaleFormat = scaleFormat;
        _kernels = [.. Candidates.Select(c => new NearestValueKernel(c))];
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
                var indices = workspace.Indices;
                _kernels[typeId].NearestIndices(workspace.Normalized[workspace.BufferOf[typeId]].AsSpan(0, w.Length), indices);
                var output = codes.AsSpan(row * weights.Cols + start, w.Length);
                for (int i = 0; i < w.Length; i++) output[i] = sortedCodes[indices[i]];
            }
            return workspace;
        }, _ => { });
        return new QuantizedMatrix(layout, codes, scales, null, typeIds);
    }

    private sealed class Workspace(int groupSize, int candidates)
    {
        /// <summary>w / scale for each distinct candidate scale, and which buffer each candidate uses.</summary>
        public readonly float[][] Normalized = [.. Enumerable.Range(0, candidates).Select(_ => new float[groupSize])];
        public readonly int[] BufferOf = new int[candidates];
        public readonly float[] Quantized = new float[groupSize];
        public readonly int[] Indices = new int[groupSize];
    }

    private (int TypeId, float Scale) QuantizeGroup(ReadOnlySpan<float> w, Workspace workspace)
    {
        float absMax = VectorMath.AbsMax(w);
        int bestId = 0;
        float bestScale = 0;
        double bestError = double.PositiveInfinity;
        float previousScale = float.NaN;
        int buffer = -1;
        for (int id = 0; id < Candidates.Count; id++)
        {
            float scale = ScaleCodec.Round(ScaleFormat, Math.Clamp(absMax / (float)Candidates[id].MaxAbs, MinScale, MaxScale));
            if (scale != previousScale)
            {
                VectorMath.Divide(w, scale, workspace.Normalized[++buffer]);
                previousScale = scale;
            }
            workspace.BufferOf[id] = buffer;
            var normalized = workspace.Normalized[buffer].AsSpan(0, w.Length);
            var quantized = workspace.Quantized.AsSpan(0, w.Length);
            _kernels[id].NearestValues(normalized, quantized);
            double error = VectorMath.SquaredError(quantized, 0, scale, w);
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
