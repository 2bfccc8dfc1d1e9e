using HwSim.Numerics.Formats;
using HwSim.Workloads.Analysis;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Workloads;

/// <summary>Decode totals in closed form must equal the step-by-step loop exactly.</summary>
public class DecodeSumTests
{
    public static TheoryData<string, string, string, int, int, int> Cases => new()
    {
        { "fp16", "fp16", "fp16", 1, 2048, 300 },
        { "int4-g128", "fp16", "int8", 1, 17, 1000 },
        { "int3-g64", "int8", "int3", 3, 5, 777 },
        { "int5", "fp8", "int5-g7", 2, 1, 2100 },
        { "int2-g1000", "int4", "int6-g3", 1, 999, 90 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeBytesEqualTheLoopOverSteps(string weights, string activations, string kv, int batch, int prompt, int generate)
    {
        var precision = new Precision(StorageFormat.Parse(weights), StorageFormat.Parse(activations), StorageFormat.Parse(kv));
        foreach (string model in new[] { "opt-1.3b", "llama-3-8b" })
        {
            var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get(model), batch, prompt, generate, precision));
            Int128 loop = 0;
            foreach (var op in workload.Decode)
                for (long length = workload.FirstDecodeKv; length < workload.FirstDecodeKv + workload.DecodeSteps; length++)
                    loop += op.BytesAt(length, precision);
            Assert.Equal(loop, WorkloadSummary.Of(workload).DecodeBytes);
        }
    }

    [Fact]
    public void PeriodicSumsEqualTheLoopForEveryCountAndStart()
    {
        // ceil((13 + 5·kv)·3 / 8) + ceil((13 + 5·kv) / 7) repeats with period 56 (its increment is exact every 56 steps).
        static long F(long kv) => ((13 + 5 * kv) * 3 + 7) / 8 + (13 + 5 * kv + 6) / 7;
        for (long first = 0; first < 60; first += 7)
            for (long count = 0; count < 400; count += 13)
            {
                Int128 loop = 0;
                for (long kv = first; kv < first + count; kv++) loop += F(kv);
                Assert.Equal(loop, PeriodicSum.Of(F, first, count, 56));
            }
    }

    [Fact]
    public void TwoBillionStepsSumWithoutALoop()
    {
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("llama-2-7b"), 1, 2048, 2_000_000_000));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var summary = WorkloadSummary.Of(workload);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"{started.Elapsed}");
        // Every decode op's bytes are affine in kv with FP16 (2 bytes per element): the sum is Σ (c + p·kv)·2 exactly.
        Int128 expected = 0;
        foreach (var op in workload.Decode)
            foreach (var operand in op.Operands)
                expected += 2 * operand.Elements.SumOver(workload.FirstDecodeKv, workload.DecodeSteps);
        Assert.Equal(expected, summary.DecodeBytes);
    }
}
