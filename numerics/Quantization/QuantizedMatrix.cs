namespace HwSim.Numerics.Quantization;

/// <summary>
/// What a quantized weight matrix stores and how to read it back: code width, group size along the input channel,
/// scale storage, optional per-group zero points and datatype ids, and bits stored once per tensor (a per-tensor
/// scale or datatype choice). Two matrices with the same layout pack to the same byte layout.
/// </summary>
public sealed record QuantizedLayout(
    string Scheme,
    int Rows,
    int Cols,
    int CodeBits,
    int GroupSize,
    ScaleFormat ScaleFormat,
    bool HasZeroPoints,
    int TypeIdBits,
    bool HasTensorScale,
    int TensorOverheadBits,
    ICodeDecoder Decoder,
    bool OneScalePerTensor = false,
    bool HasRowScales = false)
{
    /// <summary>Bits of a per-row second-level scale (FP16).</summary>
    public const int RowScaleBits = 16;

    /// <summary>Scales (and zero points, type ids) actually stored: one when the whole tensor shares them.</summary>
    public int StoredGroupCount => OneScalePerTensor ? 1 : GroupCount;

    public int GroupsPerRow => (Cols + GroupSize - 1) / GroupSize;
    public int GroupCount => Rows * GroupsPerRow;
    public long Elements => (long)Rows * Cols;

    /// <summary>Exact stored bits: codes, scales, zero points (code width each), type ids, row scales and per-tensor data.</summary>
    public long StorageBits =>
        Elements * CodeBits
        + (long)StoredGroupCount * (ScaleCodec.Bits(ScaleFormat) + (HasZeroPoints ? CodeBits : 0) + TypeIdBits)
        + (HasRowScales ? (long)Rows * RowScaleBits : 0) + (HasTensorScale ? 32 : 0) + TensorOverheadBits;

    /// <summary>Stored bits per weight, all overheads included.</summary>
    public double EffectiveBits => (double)StorageBits / Elements;
}

/// <summary>
/// A quantized weight matrix: one code per weight, one scale per group (the exact value used, already rounded to its
/// storage format; for two-level scales the product of the group's integer and its row's scale, exact in float),
/// optional zero points and datatype ids per group, optional per-row scales, and an optional per-tensor FP32 scale.
/// Dequantized weight = (value(code) − zero point) · group scale · tensor scale, each product rounded to float.
/// </summary>
public sealed class QuantizedMatrix
{
    public QuantizedMatrix(QuantizedLayout layout, byte[] codes, float[] scales, byte[]? zeroPoints, byte[]? typeIds, float tensorScale = 1,
        int tensorTypeId = 0, float[]? rowScales = null)
    {
        if ((rowScales is not null) != layout.HasRowScales || (rowScales is not null && rowScales.Length != layout.Rows))
            throw new ArgumentException("row scales do not match the layout", nameof(rowScales));
        if (codes.Length != layout.Elements) throw new ArgumentException($"{layout.Elements} codes expected, got {codes.Length}", nameof(codes));
        if (scales.Length != layout.GroupCount) throw new ArgumentException($"{layout.GroupCount} scales expected, got {scales.Length}", nameof(scales));
        if ((zeroPoints is not null) != layout.HasZeroPoints || (zeroPoints is not null && zeroPoints.Length != layout.GroupCount))
            throw new ArgumentException("zero points do not match the layout", nameof(zeroPoints));
        if ((typeIds is not null) != (layout.TypeIdBits > 0) || (typeIds is not null && typeIds.Length != layout.GroupCount))
            throw new ArgumentException("type ids do not match the layout", nameof(typeIds));
        if (!layout.HasTensorScale && tensorScale != 1) throw new ArgumentException("this layout has no tensor scale", nameof(tensorScale));
        if (tensorTypeId < 0 || (layout.TensorOverheadBits < 31 && tensorTypeId >> layout.TensorOverheadBits != 0))
            throw new ArgumentOutOfRangeException(nameof(tensorTypeId), tensorTypeId, "does not fit the layout's per-tensor bits");
        Layout = layout;
        TensorTypeId = tensorTypeId;
        Codes = codes;
        Scales = scales;
        ZeroPoints = zeroPoints;
        TypeIds = typeIds;
        TensorScale = tensorScale;
        RowScales = rowScales;
    }

    /// <summary>Per-row second-level scales of a two-level layout: each group's scale is an integer multiple of its row's.</summary>
    public float[]? RowScales { get; }

    public QuantizedLayout Layout { get; }
    public byte[] Codes { get; }
    public float[] Scales { get; }
    public byte[]? ZeroPoints { get; }
    public byte[]? TypeIds { get; }
    public float TensorScale { get; }

    /// <summary>A per-tensor datatype choice (ANT's adaptive type), stored in the layout's per-tensor bits.</summary>
    public int TensorTypeId { get; }

    public int GroupIndex(int row, int col) => row * Layout.GroupsPerRow + col / Layout.GroupSize;

    /// <summary>The unscaled value of each code of a row (code value minus zero point), as the datapath sees it.</summary>
    public void CodeValues(int row, Span<float> values) => Layout.Decoder.DecodeRow(this, row, values);

    /// <summary>The unscaled value of every code, N × K, row-major.</summary>
    public float[] CodeValues()
    {
        var values = new float[Layout.Elements];
        for (int row = 0; row < Layout.Rows; row++) CodeValues(row, values.AsSpan(row * Layout.Cols, Layout.Cols));
        return values;
    }

    public float[] Dequantize()
    {
        var result = CodeValues();
        for (int row = 0, i = 0; row < Layout.Rows; row++)
        {
            for (int col = 0; col < Layout.Cols; col++, i++)
            {
                float scaled = result[i] * Scales[GroupIndex(row, col)];
                result[i] = Layout.HasTensorScale ? scaled * TensorScale : scaled;
            }
        }
        return result;
    }
}
