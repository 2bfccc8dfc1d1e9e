using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Gemm;

/// <summary>
/// Bit-serial form of <see cref="IntegerGemm"/>: weights in B-bit two's complement are consumed
/// <c>bitsPerStep</c> bits per step, least significant digit first; step s adds (Σ_k x_k · digit_s(w_k)) · 2^(s·bitsPerStep),
/// with every digit unsigned except the most significant, which carries the sign weight −2^(B−1). This is the
/// shift-add schedule of a bit-serial PE (Stripes/Bit Fusion; BitMoD processes two weight bits per cycle), and it
/// equals the bit-parallel sum exactly.
/// </summary>
public static class BitSerialGemm
{
    public static int[] GroupPartialSums(ReadOnlySpan<sbyte> x, int m, QuantizedMatrix w, int bitsPerStep, int? weightBits = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerStep, 1);
        var weights = IntegerGemm.IntegerWeights(w);
        int needed = IntegerGemm.TwosComplementBits(weights);
        int bits = weightBits ?? needed;
        if (bits < needed)
            throw new ArgumentException($"{bits}-bit two's complement cannot hold every weight", nameof(weightBits));
        int steps = Steps(bits, bitsPerStep);
        int cols = w.Layout.Cols;
        return IntegerGemm.Accumulate(x, m, w.Layout, (xr, start, end, n) =>
        {
            var wr = weights.AsSpan(n * cols, cols);
            long total = 0;
            for (int step = 0; step < steps; step++)
            {
                long partial = 0;
                for (int i = start; i < end; i++) partial += xr[i] * Digit(wr[i], step, bitsPerStep, bits);
                total += partial << (step * bitsPerStep);
            }
            return total;
        });
    }

    /// <summary>Steps (cycles of a one-digit-per-cycle PE) to consume a B-bit weight.</summary>
    public static int Steps(int weightBits, int bitsPerStep) => (weightBits + bitsPerStep - 1) / bitsPerStep;

    /// <summary>
    /// Digit <paramref name="step"/> of <paramref name="value"/> as a B-bit two's-complement number: bits
    /// [step·d, step·d + d) read as unsigned, except that bit B−1 counts −2^(B−1) relative to the digit.
    /// </summary>
    public static int Digit(int value, int step, int bitsPerStep, int weightBits)
    {
        int low = step * bitsPerStep, high = Math.Min(low + bitsPerStep, weightBits);
        int pattern = value & (int)((1L << weightBits) - 1);
        int digit = (pattern >> low) & ((1 << (high - low)) - 1);
        if (high == weightBits && ((pattern >> (weightBits - 1)) & 1) == 1) digit -= 1 << (high - low);
        return digit;
    }
}
