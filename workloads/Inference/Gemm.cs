using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HwSim.Workloads.Inference;

/// <summary>A row-major matrix view: <see cref="Rows"/> rows of <see cref="Cols"/> floats, row r at Offset + r·Stride.</summary>
public readonly record struct MatrixView(float[] Data, int Offset, int Rows, int Cols, int Stride)
{
    public static MatrixView Of(float[] data, int rows, int cols) => new(data, 0, rows, cols, cols);

    public Span<float> Row(int row) => Data.AsSpan(Offset + row * Stride, Cols);

    /// <summary>Throws unless every row lies inside <see cref="Data"/> (the kernels read without bounds checks).</summary>
    public void EnsureInside(string name)
    {
        if (Rows < 0 || Cols < 0 || Offset < 0 || Stride < Cols || (Rows > 0 && (long)Offset + (long)(Rows - 1) * Stride + Cols > Data.Length))
            throw new ArgumentException($"matrix {name} ({Rows}x{Cols}, offset {Offset}, stride {Stride}) does not fit its {Data.Length} values");
    }
}

/// <summary>
/// C = A · Bᵀ in FP32 for the forward pass: A is M × K (activations), B is N × K (a weight in PyTorch's
/// [out, in] layout, or the keys of an attention head), both with K contiguous, so every output is a dot product of
/// two contiguous rows. Blocked for the caches (a panel of <see cref="BlockN"/> rows of B by <see cref="BlockK"/>
/// columns stays in L2 while all rows of A stream past it) with a 4 × 4 register tile of SIMD accumulators
/// (16 accumulators + 8 operands fit the 32 vector registers of AVX-512 machines), and parallel over panels of B
/// (each thread owns distinct columns of C, so the result does not depend on the thread count).
/// </summary>
public static class Gemm
{
    public const int BlockN = 64;
    public const int BlockK = 512;
    private const int Tile = 4;

    /// <summary>C[m, n] = Σ_k A[m, k]·B[n, k] (+ C[m, n] when <paramref name="accumulate"/>).</summary>
    public static void MultiplyTransposed(MatrixView a, MatrixView b, MatrixView c, bool accumulate = false, int? maxThreads = null)
    {
        if (a.Cols != b.Cols) throw new ArgumentException($"inner dimensions differ: A is {a.Rows}x{a.Cols}, B is {b.Rows}x{b.Cols}");
        if (c.Rows != a.Rows || c.Cols != b.Rows) throw new ArgumentException($"C is {c.Rows}x{c.Cols}, needs {a.Rows}x{b.Rows}");
        a.EnsureInside("A");
        b.EnsureInside("B");
        c.EnsureInside("C");
        if (!accumulate) for (int r = 0; r < c.Rows; r++) c.Row(r).Clear();
        int panels = (b.Rows + BlockN - 1) / BlockN;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? Environment.ProcessorCount };
        if (panels == 1 || options.MaxDegreeOfParallelism == 1 || (long)a.Rows * b.Rows * a.Cols < 1 << 18)
            for (int p = 0; p < panels; p++) Panel(a, b, c, p);
        else Parallel.For(0, panels, options, p => Panel(a, b, c, p));
    }

    /// <summary>Floating-point operations of one product (2·M·N·K).</summary>
    public static double Flops(int m, int n, int k) => 2.0 * m * n * k;

    private static void Panel(MatrixView a, MatrixView b, MatrixView c, int panel)
    {
        int n0 = panel * BlockN, n1 = Math.Min(b.Rows, n0 + BlockN);
        for (int k0 = 0; k0 < a.Cols; k0 += BlockK)
        {
            int k1 = Math.Min(a.Cols, k0 + BlockK);
            int m = 0;
            for (; m + Tile <= a.Rows; m += Tile)
            {
                int n = n0;
                for (; n + Tile <= n1; n += Tile) Kernel4x4(a, b, c, m, n, k0, k1);
                for (; n < n1; n++) for (int i = m; i < m + Tile; i++) c.Data[c.Offset + i * c.Stride + n] += Dot(a, b, i, n, k0, k1);
            }
            for (; m < a.Rows; m++)
                for (int n = n0; n < n1; n++) c.Data[c.Offset + m * c.Stride + n] += Dot(a, b, m, n, k0, k1);
        }
    }

    private static float Dot(MatrixView a, MatrixView b, int m, int n, int k0, int k1) =>
        TensorPrimitives.Dot(a.Data.AsSpan(a.Offset + m * a.Stride + k0, k1 - k0), b.Data.AsSpan(b.Offset + n * b.Stride + k0, k1 - k0));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x4(MatrixView a, MatrixView b, MatrixView c, int m, int n, int k0, int k1)
    {
        ref float a0 = ref a.Data[a.Offset + m * a.Stride];
        ref float a1 = ref Unsafe.Add(ref a0, a.Stride);
        ref float a2 = ref Unsafe.Add(ref a1, a.Stride);
        ref float a3 = ref Unsafe.Add(ref a2, a.Stride);
        ref float b0 = ref b.Data[b.Offset + n * b.Stride];
        ref float b1 = ref Unsafe.Add(ref b0, b.Stride);
        ref float b2 = ref Unsafe.Add(ref b1, b.Stride);
        ref float b3 = ref Unsafe.Add(ref b2, b.Stride);
        Span<float> sums = stackalloc float[Tile * Tile];
        int k = k0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s00 = Vector512<float>.Zero; var s01 = s00; var s02 = s00; var s03 = s00;
            var s10 = s00; var s11 = s00; var s12 = s00; var s13 = s00;
            var s20 = s00; var s21 = s00; var s22 = s00; var s23 = s00;
            var s30 = s00; var s31 = s00; var s32 = s00; var s33 = s00;
            for (; k + Vector512<float>.Count <= k1; k += Vector512<float>.Count)
            {
                var x0 = Vector512.LoadUnsafe(ref a0, (nuint)k); var x1 = Vector512.LoadUnsafe(ref a1, (nuint)k);
                var x2 = Vector512.LoadUnsafe(ref a2, (nuint)k); var x3 = Vector512.LoadUnsafe(ref a3, (nuint)k);
                var y = Vector512.LoadUnsafe(ref b0, (nuint)k);
                s00 = Vector512.FusedMultiplyAdd(x0, y, s00); s10 = Vector512.FusedMultiplyAdd(x1, y, s10);
                s20 = Vector512.FusedMultiplyAdd(x2, y, s20); s30 = Vector512.FusedMultiplyAdd(x3, y, s30);
                y = Vector512.LoadUnsafe(ref b1, (nuint)k);
                s01 = Vector512.FusedMultiplyAdd(x0, y, s01); s11 = Vector512.FusedMultiplyAdd(x1, y, s11);
                s21 = Vector512.FusedMultiplyAdd(x2, y, s21); s31 = Vector512.FusedMultiplyAdd(x3, y, s31);
                y = Vector512.LoadUnsafe(ref b2, (nuint)k);
                s02 = Vector512.FusedMultiplyAdd(x0, y, s02); s12 = Vector512.FusedMultiplyAdd(x1, y, s12);
                s22 = Vector512.FusedMultiplyAdd(x2, y, s22); s32 = Vector512.FusedMultiplyAdd(x3, y, s32);
                y = Vector512.LoadUnsafe(ref b3, (nuint)k);
                s03 = Vector512.FusedMultiplyAdd(x0, y, s03); s13 = Vector512.FusedMultiplyAdd(x1, y, s13);
                s23 = Vector512.FusedMultiplyAdd(x2, y, s23); s33 = Vector512.FusedMultiplyAdd(x3, y, s33);
            }
            sums[0] = Vector512.Sum(s00); sums[1] = Vector512.Sum(s01); sums[2] = Vector512.Sum(s02); sums[3] = Vector512.Sum(s03);
            sums[4] = Vector512.Sum(s10); sums[5] = Vector512.Sum(s11); sums[6] = Vector512.Sum(s12); sums[7] = Vector512.Sum(s13);
            sums[8] = Vector512.Sum(s20); sums[9] = Vector512.Sum(s21); sums[10] = Vector512.Sum(s22); sums[11] = Vector512.Sum(s23);
            sums[12] = Vector512.Sum(s30); sums[13] = Vector512.Sum(s31); sums[14] = Vector512.Sum(s32); sums[15] = Vector512.Sum(s33);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var s00 = Vector256<float>.Zero; var s01 = s00; var s02 = s00; var s03 = s00;
            var s10 = s00; var s11 = s00; var s12 = s00; var s13 = s00;
            var s20 = s00; var s21 = s00; var s22 = s00; var s23 = s00;
            var s30 = s00; var s31 = s00; var s32 = s00; var s33 = s00;
            for (; k + Vector256<float>.Count <= k1; k += Vector256<float>.Count)
            {
                var x0 = Vector256.LoadUnsafe(ref a0, (nuint)k); var x1 = Vector256.LoadUnsafe(ref a1, (nuint)k);
                var x2 = Vector256.LoadUnsafe(ref a2, (nuint)k); var x3 = Vector256.LoadUnsafe(ref a3, (nuint)k);
                var y = Vector256.LoadUnsafe(ref b0, (nuint)k);
                s00 = Vector256.FusedMultiplyAdd(x0, y, s00); s10 = Vector256.FusedMultiplyAdd(x1, y, s10);
                s20 = Vector256.FusedMultiplyAdd(x2, y, s20); s30 = Vector256.FusedMultiplyAdd(x3, y, s30);
                y = Vector256.LoadUnsafe(ref b1, (nuint)k);
                s01 = Vector256.FusedMultiplyAdd(x0, y, s01); s11 = Vector256.FusedMultiplyAdd(x1, y, s11);
                s21 = Vector256.FusedMultiplyAdd(x2, y, s21); s31 = Vector256.FusedMultiplyAdd(x3, y, s31);
                y = Vector256.LoadUnsafe(ref b2, (nuint)k);
                s02 = Vector256.FusedMultiplyAdd(x0, y, s02); s12 = Vector256.FusedMultiplyAdd(x1, y, s12);
                s22 = Vector256.FusedMultiplyAdd(x2, y, s22); s32 = Vector256.FusedMultiplyAdd(x3, y, s32);
                y = Vector256.LoadUnsafe(ref b3, (nuint)k);
                s03 = Vector256.FusedMultiplyAdd(x0, y, s03); s13 = Vector256.FusedMultiplyAdd(x1, y, s13);
                s23 = Vector256.FusedMultiplyAdd(x2, y, s23); s33 = Vector256.FusedMultiplyAdd(x3, y, s33);
            }
            sums[0] = Vector256.Sum(s00); sums[1] = Vector256.Sum(s01); sums[2] = Vector256.Sum(s02); sums[3] = Vector256.Sum(s03);
            sums[4] = Vector256.Sum(s10); sums[5] = Vector256.Sum(s11); sums[6] = Vector256.Sum(s12); sums[7] = Vector256.Sum(s13);
            sums[8] = Vector256.Sum(s20); sums[9] = Vector256.Sum(s21); sums[10] = Vector256.Sum(s22); sums[11] = Vector256.Sum(s23);
            sums[12] = Vector256.Sum(s30); sums[13] = Vector256.Sum(s31); sums[14] = Vector256.Sum(s32); sums[15] = Vector256.Sum(s33);
        }
        for (; k < k1; k++)
        {
            for (int i = 0; i < Tile; i++)
            {
                float x = Unsafe.Add(ref a0, i * a.Stride + k);
                for (int j = 0; j < Tile; j++) sums[i * Tile + j] += x * Unsafe.Add(ref b0, j * b.Stride + k);
            }
        }
        for (int i = 0; i < Tile; i++)
        {
            var row = c.Data.AsSpan(c.Offset + (m + i) * c.Stride + n, Tile);
            for (int j = 0; j < Tile; j++) row[j] += sums[i * Tile + j];
        }
    }
}
