using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>How a per-group (or per-channel, per-block) scale is stored.</summary>
public enum ScaleFormat
{
    Fp32,
    Fp16,

    /// <summary>OCP MX v1.0 shared scale: a power of two 2^(e−127), e = 0 … 254 (255 is NaN).</summary>
    E8M0,

    /// <summary>NVFP4 block scale: an FP8 E4M3 value, multiplied by a per-tensor FP32 scale.</summary>
    E4M3,

    /// <summary>
    /// Two-level scale (VS-Quant, Dai et al., MLSys 2021): an unsigned 8-bit integer 1 … 255 per group times an FP16
    /// scale per row (<see cref="QuantizedLayout.HasRowScales"/>); the group code is the stored scale divided by its
    /// row's scale, so it has no code of its own here.
    /// </summary>
    Int8RowScaled,
}

/// <summary>Rounding of scales into their storage format and the bit-exact codes stored for them.</summary>
public static class ScaleCodec
{
    public static int Bits(ScaleFormat format) => format switch
    {
        ScaleFormat.Fp32 => 32,
        ScaleFormat.Fp16 => 16,
        _ => 8,
    };

    /// <summary>Smallest positive FP16 value (the least subnormal, 2^−24): the floor of FP16 scales.</summary>
    public static readonly float MinFp16Scale = (float)Math.ScaleB(1.0, -24);

    /// <summary>Smallest positive normal FP16 value, 2^−14.</summary>
    public static readonly float MinNormalFp16Scale = (float)Math.ScaleB(1.0, -14);

    /// <summary>
    /// The representable scale nearest to <paramref name="scale"/> (positive, RNE), never zero: FP16 scales are
    /// kept in [2^−24, 65504]. FP16 subnormals are exact (every FP16 value is a float, and code value · scale rounds
    /// once to float as for normal scales), so small-weight groups keep their scale instead of being clamped at 2^−14.
    /// A subnormal scale rounds up instead: its spacing 2^−24 can be a large fraction of it (a scale of 3·10^−7 has
    /// about 2 significant bits), and rounding it down would push the group's largest weight past the codebook's end.
    /// </summary>
    public static float Round(ScaleFormat format, float scale) => format switch
    {
        ScaleFormat.Fp32 => scale,
        ScaleFormat.Fp16 => Fp16(scale),
        ScaleFormat.E8M0 => (float)Math.ScaleB(1.0, Math.Clamp(Math.ILogB(scale), -127, 127)),
        ScaleFormat.E4M3 => (float)MiniFloat.Fp8E4M3.Quantize(scale),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static float Fp16(float scale)
    {
        var half = (Half)scale;
        float rounded = (float)half;
        if (rounded < scale && rounded < MinNormalFp16Scale)
            rounded = (float)BitConverter.UInt16BitsToHalf((ushort)(BitConverter.HalfToUInt16Bits(half) + 1));
        return Math.Clamp(rounded, MinFp16Scale, (float)Half.MaxValue);
    }

    public static uint Encode(ScaleFormat format, float scale) => format switch
    {
        ScaleFormat.Fp32 => BitConverter.SingleToUInt32Bits(scale),
        ScaleFormat.Fp16 => BitConverter.HalfToUInt16Bits((Half)scale),
        ScaleFormat.E8M0 => (uint)(Math.ILogB(scale) + 127),
        ScaleFormat.E4M3 => MiniFloat.Fp8E4M3.Encode(scale),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static float Decode(ScaleFormat format, uint code) => format switch
    {
        ScaleFormat.Fp32 => BitConverter.UInt32BitsToSingle(code),
        ScaleFormat.Fp16 => (float)BitConverter.UInt16BitsToHalf((ushort)code),
        ScaleFormat.E8M0 => code == 255 ? float.NaN : (float)Math.ScaleB(1.0, (int)code - 127),
        ScaleFormat.E4M3 => (float)MiniFloat.Fp8E4M3.Decode(code),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
