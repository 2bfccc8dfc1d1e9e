using System.Numerics;

namespace HwSim.Numerics.DataTypes;

/// <summary>Element-wise float helpers with <see cref="Vector{T}"/>; IEEE division is exact-rounded, so lanes equal scalar code.</summary>
public static class VectorMath
{
    /// <summary>output[i] = input[i] / divisor, correctly rounded in float.</summary>
    public static void Divide(ReadOnlySpan<float> input, float divisor, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output shorter than input", nameof(output));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var d = new Vector<float>(divisor);
            for (; i <= input.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(input[i..]) / d).CopyTo(output[i..]);
        }
        for (; i < input.Length; i++) output[i] = input[i] / divisor;
    }
}
