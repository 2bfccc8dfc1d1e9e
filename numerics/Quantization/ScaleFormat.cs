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

    /// <summary>
    /// The representable scale nearest to <paramref name="scale"/> (positive, RNE), never zero: FP16 scales are
    /// kept in [2^−14, 65504] (normal range) so that dequantization stays exact to the stored value.
    /// </summary>
    public static float Round(ScaleFormat format, float scale) => format switch
    {
        ScaleFormat.Fp32 => scale,
        ScaleFormat.Fp16 => Math.Clamp((float)(Half)scale, (float)Math.ScaleB(1.0, -14), (float)Half.MaxValue),
        ScaleFormat.E8M0 => (float)Math.ScaleB(1.0, Math.Clamp(Math.ILogB(scale), -127, 127)),
        ScaleFormat.E4M3 => (float)MiniFloat.Fp8E4M3.Quantize(scale),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

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
