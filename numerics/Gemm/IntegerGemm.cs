using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Gemm;

/// <summary>
/// Integer datapaths: INT8 activation codes times integer weight values (value(code) − zero point, which must be
/// integers: INT, BitMoD, OVP, flint and PoT codebooks are) with an INT32 accumulator per (row, output, group).
/// The result is the exact per-group partial sum the hardware hands to its dequantization step; an accumulator
/// overflow is an error, not a wrap-around.
/// </summary>
public static class IntegerGemm
{
    /// <summary>Partial sums, indexed [(row · N + n) · groupsPerRow + group].</summary>
    public static int[] GroupPartialSums(ReadOnlySpan<sbyte> x, int m, QuantizedMatrix w)
    {
        var weights = IntegerWeights(w);
        return Accumulate(x, m, w.Layout, (xr, start, end, n) =>
        {
            long sum = 0;
            var wr = weights.AsSpan(n * w.Layout.Cols, w.Layout.Cols);
            for (int i = start; i < end; i++) sum += xr[i] * wr[i];
            return sum;
        });
    }

    /// <summary>The integer value of every weight, N × K; fails for codebooks with fractional values.</summary>
    public static int[] IntegerWeights(QuantizedMatrix w)
    {
        var values = w.CodeValues();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != MathF.Round(values[i]))
                throw new ArgumentException($"{w.Layout.Scheme}: weight value {values[i]} is not an integer; use the floating-point reference");
            result[i] = (int)values[i];
        }
        return result;
    }

    /// <summary>Weight width in two's complement that holds every value of <paramref name="weights"/>.</summary>
    public static int TwosComplementBits(ReadOnlySpan<int> weights)
    {
        long min = 0, max = 0;
        foreach (int v in weights) (min, max) = (Math.Min(min, v), Math.Max(max, v));
        return TwosComplementBits(min, max);
    }

    /// <summary>Width in two's complement that holds every one of <paramref name="values"/> (1 when there are none).</summary>
    public static int TwosComplementBits(IEnumerable<long> values)
    {
        long min = 0, max = 0;
        foreach (long v in values) (min, max) = (Math.Min(min, v), Math.Max(max, v));
        return TwosComplementBits(min, max);
    }

    /// <summary>The narrowest two's-complement width whose range holds [<paramref name="min"/>, <paramref name="max"/>] (min ≤ 0 ≤ max).</summary>
    private static int TwosComplementBits(long min, long max)
    {
        int bits = 1;
        while (min < -(1L << (bits - 1)) || max > (1L << (bits - 1)) - 1) bits++;
        return bits;
    }

    internal delegate long GroupSum(ReadOnlySpan<sbyte> row, int start, int end, int n);

    internal static int[] Accumulate(ReadOnlySpan<sbyte> x, int m, QuantizedLayout layout, GroupSum sum)
    {
        int k = ReferenceGemm.CheckShapes(x.Length, m, layout.Cols);
        var result = new int[m * layout.Rows * layout.GroupsPerRow];
        for (int row = 0; row < m; row++)
        {
            var xr = x.Slice(row * k, k);
            for (int n = 0; n < layout.Rows; n++)
            {
                for (int start = 0, g = 0; start < k; start += layout.GroupSize, g++)
                {
                    long value = sum(xr, start, Math.Min(start + layout.GroupSize, k), n);
                    if (value is < int.MinValue or > int.MaxValue)
                        throw new OverflowException($"INT32 accumulator overflows at row {row}, output {n}, group {g}");
                    result[(row * layout.Rows + n) * layout.GroupsPerRow + g] = (int)value;
                }
            }
        }
        return result;
    }
}
