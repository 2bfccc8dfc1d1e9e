using HwSim.Arch.Fast;
using HwSim.Arch.Serving;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;

namespace HwSim.Tests.Arch.Serving;

/// <summary>How the DRAM left after the weights becomes KV blocks, on the tiny test model, by hand.</summary>
public class KvCapacityRulesTests
{
    [Fact]
    public void BlocksAreTheWholeBlocksLeftAfterTheWeights()
    {
        // Tiny: 4 layers × 2 KV heads × 64 = 512 K and V elements per layer side, 2 × 4 × 128 = 1024 per token; at
        // fp16 2048 bytes per token and 16 × 2048 = 32 KiB per 16-token block. Weights: every parameter at 2 bytes.
        var fp16 = RunFormats.Default(Presets.Find("fp16-baseline")!);
        long weights = ParameterInventory.Count(ServingTests.Tiny) * 2;
        var capacity = KvCapacity.Of(weights + 5 * 32_768 + 32_767, ServingTests.Tiny, fp16, 16);
        Assert.Equal(new KvCapacity(weights + 5 * 32_768 + 32_767, weights, 2048, 32_768, 5, 16), capacity);
        Assert.Equal(80, capacity.KvTokens);
        // 8-token blocks of the same DRAM: 16 KiB each, 11 of them.
        var eight = KvCapacity.Of(weights + 5 * 32_768 + 32_767, ServingTests.Tiny, fp16, 8);
        Assert.Equal((16_384L, 11L, 88L), (eight.BlockBytes, eight.Blocks, eight.KvTokens));
        // A DRAM smaller than the weights holds no block (not a negative count).
        Assert.Equal(0, KvCapacity.Of(weights - 1, ServingTests.Tiny, fp16, 16).Blocks);
        Assert.Equal(0, KvCapacity.Of(weights + 32_767, ServingTests.Tiny, fp16, 16).Blocks);
    }

    [Fact]
    public void DesignsWithTwoWeightPhasesStoreBothCopies()
    {
        // bitmod-gen runs bitmod4 weights in prefill and bitmod3 in decode: the weight bytes are those of a design
        // storing only bitmod4 plus those of one storing only bitmod3.
        var spec = Presets.Find("bitmod-gen")!;
        long Weights(RunFormats formats) => KvCapacity.Of(1L << 40, ServingTests.Tiny, formats, 16).WeightBytes;
        long both = Weights(RunFormats.Default(spec));
        long prefillOnly = Weights(RunFormats.Default(spec, "bitmod4")), decodeOnly = Weights(RunFormats.Default(spec, "bitmod3"));
        Assert.True(prefillOnly > decodeOnly, "4-bit weights take more bytes than 3-bit ones");
        Assert.Equal(prefillOnly + decodeOnly, both);
    }
}
