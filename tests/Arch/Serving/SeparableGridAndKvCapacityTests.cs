using HwSim.Arch.Fast;
using HwSim.Arch.Serving;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Models;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// Which probes the separable pricing runs for a uniform batch at grid step 4 (counted by hand from its rules), and
/// the KV capacity's 64-bit bounds: weights of two phases and a KV block past 2⁶³ − 1 bytes fail loudly.
/// </summary>
public class SeparableGridAndKvCapacityTests
{
    private static readonly ModelConfig TwoLayers = ServingTests.Tiny with { Layers = 2 };

    /// <summary>
    /// Grid Q = 4. A batch of equal steps is probed as itself only when its tokens S·Q, its sequences S, its context
    /// and (unless 1) its queries are grid points; every other part comes from a probe of its own shape.
    /// <list type="bullet">
    /// <item>8 sequences of 4 queries over 8 cached tokens: all on the grid, one probe of the batch gives the body of
    /// 32 tokens, the head of 8 sequences and the attention of (4, 8): 1 simulation (3 probed part by part).</item>
    /// <item>6 sequences of 4 queries over 8 cached tokens: S = 6 is off the grid, so no probe of the batch: the body
    /// of 24 tokens (a prompt of 24), the head at S = 4 and S = 8 (interpolated to 6), the attention of (4, 8) alone:
    /// 4 simulations. (A probe of the batch would have given the body and the attention: 3.)</item>
    /// <item>4 sequences of 2 queries over 8 cached tokens: Q = 2 is off the grid: the body of 8 tokens, the head of 4
    /// sequences, the attention at Q = 1 and Q = 4 over 8 (interpolated to 2): 4 simulations (3 with a probe of the
    /// batch, which gives the body and the head).</item>
    /// </list>
    /// </summary>
    [Theory]
    [InlineData(8, 4, 1)]
    [InlineData(6, 4, 4)]
    [InlineData(4, 2, 4)]
    public void AUniformBatchIsProbedAsItselfOnlyOnTheGrid(int sequences, int queries, long simulations)
    {
        var separable = new SeparableIterationCost(ServingTests.Spec, ServingTests.Formats, TwoLayers, 4);
        var batch = Enumerable.Repeat(new SequenceStep(queries, 8, true), sequences).ToArray();
        Assert.True(separable.Cycles(batch) > 0);
        Assert.Equal(simulations, separable.Simulations);
    }

    /// <summary>
    /// A model at the validated limits' scale (hidden 2²⁰, 6 layers, 16 heads of 2¹⁶, FFN 2²⁰, one vocabulary entry,
    /// tied embeddings) stored at 64 + 2²⁰ bits per weight (a 2²⁰-bit overhead per one-weight group): 42 matrices of
    /// 2⁴⁰ and 14 vectors of 2²⁰ (12 layer norms, the final norm, the embedding), ceil(n · (64 + 2²⁰) / 8) bytes each,
    /// about 0.66 · 2⁶³ bytes per phase. One phase fits; two different phases together do not and must not wrap.
    /// </summary>
    [Fact]
    public void TwoWeightPhasesPastTheLongRangeOverflowLoudly()
    {
        var model = ServingTests.Tiny with
        {
            HiddenSize = 1 << 20, Layers = 6, Heads = 16, KvHeads = 16, HeadDim = 1 << 16, IntermediateSize = 1 << 20,
            VocabSize = 1, TieWordEmbeddings = true,
        };
        var int8 = WeightDatatypes.Get("int8");
        PhaseWeights Wide(string name) => new(int8, new StorageFormat(name, 64, 1, 1 << 20));
        long perPhase = checked((64L + (1 << 20)) * (42L * (1L << 37) + 14L * (1L << 17)));
        foreach (var phase in new[] { Wide("a"), Wide("b") })
        {
            var one = KvCapacity.Of(long.MaxValue, model, new RunFormats(phase, phase, int8, StorageFormat.Fp16), 16);
            Assert.Equal(perPhase, one.WeightBytes);
        }
        Assert.Throws<OverflowException>(() => KvCapacity.Of(long.MaxValue, model, new RunFormats(Wide("a"), Wide("b"), int8, StorageFormat.Fp16), 16));
    }

    /// <summary>
    /// 4096 layers of 16 KV heads of 2¹⁶ (a validated shape) hold 2 · 4096 · 2²⁰ = 2³³ KV elements per token; a block of
    /// 2³⁰ tokens is 2⁶³ elements, one more than a long holds, and must fail loudly rather than wrap negative. A block of
    /// 2²⁹ tokens (2⁶² one-byte INT8 elements) still fits; in FP16 it is 2⁶³ bytes, one past the range.
    /// </summary>
    [Fact]
    public void AKvBlockPastTheLongRangeOverflowsLoudly()
    {
        var model = ServingTests.Tiny with { HiddenSize = 64, Layers = 4096, Heads = 16, KvHeads = 16, HeadDim = 1 << 16, IntermediateSize = 64 };
        var int8 = WeightDatatypes.Get("int8");
        var formats = new RunFormats(new PhaseWeights(int8), new PhaseWeights(int8), int8, StorageFormat.Fp16);
        Assert.Equal(1L << 62, KvCapacity.Of(long.MaxValue, model, formats, 1 << 29).BlockBytes);
        Assert.Throws<OverflowException>(() => KvCapacity.Of(long.MaxValue, model, formats, 1 << 30));
        // The same 2^62-element block in an FP16 KV cache is 2^63 bytes: no block size, not a negative one.
        var fp16Kv = formats with { KvCache = WeightDatatypes.Get("fp16") };
        Assert.Throws<OverflowException>(() => KvCapacity.Of(long.MaxValue, model, fp16Kv, 1 << 29));
    }
}
