namespace HwSim.Numerics.Quantization.Packing;

/// <summary>
/// Compact byte layout of a quantized matrix, LSB-first bit fields with no padding between them:
/// every code (row-major, CodeBits each); then the FP16 row scales of a two-level layout; then per stored group its
/// scale (in the scale format; a two-level group its 8-bit multiple of the row scale), zero point (CodeBits) and type
/// id (TypeIdBits); then the FP32 tensor scale and the per-tensor type choice when the layout has them. The byte count is ceil(StorageBits / 8), so the packed size is exactly the effective bits.
/// </summary>
public static class MatrixPacker
{
    public static byte[] Pack(QuantizedMatrix matrix)
    {
        var layout = matrix.Layout;
        var writer = new BitWriter(layout.StorageBits);
        foreach (byte code in matrix.Codes) writer.Write(code, layout.CodeBits);
        if (matrix.RowScales is { } rowScales)
            foreach (float rowScale in rowScales) writer.Write(ScaleCodec.Encode(ScaleFormat.Fp16, rowScale), QuantizedLayout.RowScaleBits);
        int scaleBits = ScaleCodec.Bits(layout.ScaleFormat);
        for (int group = 0; group < layout.StoredGroupCount; group++)
        {
            uint scaleCode = matrix.RowScales is { } rows ? checked((uint)(matrix.Scales[group] / rows[group / layout.GroupsPerRow]))
                : ScaleCodec.Encode(layout.ScaleFormat, matrix.Scales[group]);
            writer.Write(scaleCode, scaleBits);
            if (matrix.ZeroPoints is not null) writer.Write(matrix.ZeroPoints[group], layout.CodeBits);
            if (matrix.TypeIds is not null) writer.Write(matrix.TypeIds[group], layout.TypeIdBits);
        }
        if (layout.HasTensorScale) writer.Write(BitConverter.SingleToUInt32Bits(matrix.TensorScale), 32);
        if (layout.TensorOverheadBits > 0) writer.Write((uint)matrix.TensorTypeId, layout.TensorOverheadBits);
        return writer.ToArray();
    }

    public static QuantizedMatrix Unpack(QuantizedLayout layout, byte[] packed)
    {
        long expected = (layout.StorageBits + 7) / 8;
        if (packed.Length != expected)
            throw new InvalidDataException($"{layout.Scheme}: packed data has {packed.Length} bytes, the layout needs {expected}");
        var reader = new BitReader(packed);
        var codes = new byte[layout.Elements];
        for (long i = 0; i < codes.Length; i++) codes[i] = (byte)reader.Read(layout.CodeBits);
        float[]? rowScales = layout.HasRowScales ? new float[layout.Rows] : null;
        if (rowScales is not null)
            for (int row = 0; row < rowScales.Length; row++) rowScales[row] = ScaleCodec.Decode(ScaleFormat.Fp16, reader.Read(QuantizedLayout.RowScaleBits));
        var scales = new float[layout.GroupCount];
        var zeroPoints = layout.HasZeroPoints ? new byte[layout.GroupCount] : null;
        var typeIds = layout.TypeIdBits > 0 ? new byte[layout.GroupCount] : null;
        int scaleBits = ScaleCodec.Bits(layout.ScaleFormat);
        for (int group = 0; group < layout.StoredGroupCount; group++)
        {
            uint scaleCode = reader.Read(scaleBits);
            scales[group] = rowScales is not null ? scaleCode * rowScales[group / layout.GroupsPerRow] : ScaleCodec.Decode(layout.ScaleFormat, scaleCode);
            if (zeroPoints is not null) zeroPoints[group] = (byte)reader.Read(layout.CodeBits);
            if (typeIds is not null) typeIds[group] = (byte)reader.Read(layout.TypeIdBits);
        }
        if (layout.OneScalePerTensor)
        {
            Array.Fill(scales, scales[0]);
            if (zeroPoints is not null) Array.Fill(zeroPoints, zeroPoints[0]);
            if (typeIds is not null) Array.Fill(typeIds, typeIds[0]);
        }
        float tensorScale = layout.HasTensorScale ? BitConverter.UInt32BitsToSingle(reader.Read(32)) : 1;
        int tensorTypeId = layout.TensorOverheadBits > 0 ? (int)reader.Read(layout.TensorOverheadBits) : 0;
        return new QuantizedMatrix(layout, codes, scales, zeroPoints, typeIds, tensorScale, tensorTypeId, rowScales);
    }
}
