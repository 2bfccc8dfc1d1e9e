using BenchmarkDotNet.Attributes;
using HwSim.Workloads.Inference;

namespace HwSim.Bench;

/// <summary>
/// The forward pass's GEMM (C = A·Bᵀ, FP32) on a LLaMA-2-7B projection shape: 512 tokens × 4096 inputs against a
/// 4096 × 4096 weight, on all cores and on one. GFLOP/s = 2·M·N·K / time.
/// </summary>
[MedianColumn]
public class ForwardPassBenchmarks
{
    private const int M = 512, N = 4096, K = 4096;

    private float[] _a = null!, _b = null!, _c = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = [.. Enumerable.Range(0, M * K).Select(_ => (float)random.NextDouble() - 0.5f)];
        _b = [.. Enumerable.Range(0, N * K).Select(_ => (float)random.NextDouble() - 0.5f)];
        _c = new float[M * N];
    }

    [Benchmark(Description = "GEMM 512x4096x4096 FP32, all cores")]
    public float GemmAllCores()
    {
        Gemm.MultiplyTransposed(MatrixView.Of(_a, M, K), MatrixView.Of(_b, N, K), MatrixView.Of(_c, M, N));
        return _c[^1];
    }

    [Benchmark(Description = "GEMM 512x4096x4096 FP32, 1 thread")]
    public float GemmOneThread()
    {
        Gemm.MultiplyTransposed(MatrixView.Of(_a, M, K), MatrixView.Of(_b, N, K), MatrixView.Of(_c, M, N), maxThreads: 1);
        return _c[^1];
    }
}
