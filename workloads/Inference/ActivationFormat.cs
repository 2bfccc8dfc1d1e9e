namespace HwSim.Workloads.Inference;

/// <summary>
/// The number format activations are held in between operations. FP32 leaves them as computed; BF16 and FP16 round
/// every op's output to nearest-even in that format (products and sums inside an op accumulate in FP32), which is how
/// fake-quantized evaluations in the PTQ papers run FP16 models.
/// </summary>
public enum ActivationFormat { Fp32, Bf16, Fp16 }

public static class ActivationRounding
{
    /// <summary>The format named fp32, bf16 or fp16, or null.</summary>
    public static ActivationFormat? TryParse(string text) => text switch
    {
        "fp32" => ActivationFormat.Fp32,
        "bf16" => ActivationFormat.Bf16,
        "fp16" => ActivationFormat.Fp16,
        _ => null,
    };

    public static string Name(this ActivationFormat format) => format.ToString().ToLowerInvariant();

    public static void Round(this ActivationFormat format, Span<float> values)
    {
        switch (format)
        {
            case ActivationFormat.Bf16:
                for (int i = 0; i < values.Length; i++) values[i] = ToBf16(values[i]);
                break;
            case ActivationFormat.Fp16:
                for (int i = 0; i < values.Length; i++) values[i] = (float)(Half)values[i];
                break;
        }
    }

    /// <summary>Round to nearest even on the upper 16 bits of the FP32 pattern; NaN stays NaN.</summary>
    public static float ToBf16(float value)
    {
        if (float.IsNaN(value)) return value;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        bits += 0x7FFF + ((bits >> 16) & 1);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000);
    }
}
