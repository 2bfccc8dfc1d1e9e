using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// BitMoD per-group mixture of datatypes (Chen et al., HPCA 2025, Sec. III-B). For every group of G weights along
/// the input channel and every candidate D of <see cref="BitmodTypes.Candidates"/> (in type-id order):
/// scale_D = clamp(max|w| / max|D|, 1e-5, 1e4) rounded to the scale format; q = the value of D nearest to
/// w / scale_D (ties to the lower value); error_D = Σ (q · scale_D − w)². The group keeps the D with the smallest
/// error, the first on ties, and stores its codes, its scale and its 2-bit type id. Each difference is rounded to float
/// (as dequantization computes it) and the squares are summed in double.
/// <para>
/// Scales are stored either as FP16 per group (the public quantizer's form), or in two levels as the paper's hardware
/// stores them (Sec. IV, after VS-Quant, Dai et al., MLSys 2021): a row scale γ = FP16(max over the row's groups and
/// candidates of scale_D / 255) and per group an unsigned 8-bit s_q = clamp(round(scale_D / γ), 1, 255), the group
/// scale being s_q · γ (exact in float). The type choice sees the two-level scale. The floor of 1 (a group far below
/// its row's largest would round to 0) never costs accuracy: 0 is in every candidate, so a positive scale's nearest
/// values err no more than all zeros.
/// </para>
/// </summary>
public sealed class BitmodQuantizer : IWeightQuantizer
{
    /// <summary>Scale clamp of the public quantizer (abdelfattah-lab/BitMoD-HPCA-25).</summary>
    public const float MinScale = 1e-5f, MaxScale = 1e4f;
    public const int TypeIdBits = 2;

    private readonly NearestValueKernel[] _kernels;

    /// <summary>Largest 8-bit group multiple of the row scale.</summary>
    public const int MaxGroupMultiple = 255;

    public BitmodQuantizer(int bits, int groupSize = 128, ScaleFormat scaleFormat = ScaleFormat.Fp16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (scaleFormat is not (ScaleFormat.Fp16 or ScaleFormat.Fp32 or ScaleFormat.Int8RowScaled))
            throw new ArgumentOutOfRangeException(nameof(scaleFormat), scaleFormat, "BitMoD scales are FP16, FP32 or two-level INT8");
        Bits = bits;
        Candidates = BitmodTypes.Candidates(bits);
        GroupSize = groupSize;
        ScaleFormat = scaleFormat;
        _kernels = [.. Candidates.Select(c => new NearestValueKernel(c))];
        TwoLevel = scaleFormat == ScaleFormat.Int8RowScaled;
        Name = $"bitmod{bits}{scaleFormat switch { ScaleFormat.Fp16 => "-fp16s", ScaleFormat.Fp32 => "-fp32s", _ => "" }}-g{groupSize}";
        _smallestCandidateMax = (float)Candidates.Min(c => c.MaxAbs);
    }

    private readonly float _smallestCandidateMax;

    /// <summary>Whether group scales are 8-bit multiples of a per-row FP16 scale.</summary>
    public bool TwoLevel { get; }

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
            TypeIdBits, false, 0, new CodebookDecoder(Candidates), HasRowScales: TwoLevel);
        var codes = new byte[layout.Elements];
        var scales = new float[layout.GroupCount];
        var typeIds = new byte[layout.GroupCount];
        var rowScales = TwoLevel ? new float[weights.Rows] : null;
        Parallel.For(0, weights.Rows, parallel ?? new ParallelOptions(), () => new Workspace(groupSize, Candidates.Count), (row, _, workspace) =>
        {
            float rowScale = 0;
            if (rowScales is not null) rowScales[row] = rowScale = RowScale(VectorMath.AbsMax(weights.Row(row)));
            for (int start = 0, group = row * layout.GroupsPerRow; start < weights.Cols; start += groupSize, group++)
            {
                var w = weights.Row(row)[start..Math.Min(start + groupSize, weights.Cols)];
                var (typeId, scale) = QuantizeGroup(w, rowScale, workspace);
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
        return new QuantizedMatrix(layout, codes, scales, null, typeIds, rowScales: rowScales);
    }

    private sealed class Workspace(int groupSize, int candidates)
    {
        /// <summary>w / scale for each distinct candidate scale, and which buffer each candidate uses.</summary>
        public readonly float[][] Normalized = [.. Enumerable.Range(0, candidates).Select(_ => new float[groupSize])];
        public readonly int[] BufferOf = new int[candidates];
        public readonly float[] Quantized = new float[groupSize];
        public readonly int[] Indices = new int[groupSize];
    }

    /// <summary>
    /// γ of a row whose largest magnitude is <paramref name="rowAbsMax"/>: the largest group scale any candidate can
    /// ask for (scale_D is monotone in the group absmax and largest for the candidate with the smallest max|D|) over 255.
    /// </summary>
    public float RowScale(float rowAbsMax) =>
        ScaleCodec.Round(ScaleFormat.Fp16, Math.Clamp(rowAbsMax / _smallestCandidateMax, MinScale, MaxScale) / MaxGroupMultiple);

    /// <summary>The stored group scale for an unrounded scale: FP16, FP32, or the nearest 8-bit multiple of γ.</summary>
    public float GroupScale(float scale, float rowScale)
    {
        if (!TwoLevel) return ScaleCodec.Round(ScaleFormat, scale);
        double multiple = Math.Clamp(Math.Round(scale / (double)rowScale, MidpointRounding.ToEven), 1, MaxGroupMultiple);
        return (float)(multiple * rowScale);
    }

    private (int TypeId, float Scale) QuantizeGroup(ReadOnlySpan<float> w, float rowScale, Workspace workspace)
    {
        float absMax = VectorMath.AbsMax(w);
        int bestId = 0;
        float bestScale = 0;
        double bestError = double.PositiveInfinity;
        float previousScale = float.NaN;
        int buffer = -1;
        for (int id = 0; id < Candidates.Count; id++)
        {
            float scale = GroupScale(Math.Clamp(absMax / (float)Candidates[id].MaxAbs, MinScale, MaxScale), rowScale);
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
