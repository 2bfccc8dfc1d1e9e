using HwSim.Arch.Fast;
using HwSim.Workloads.Models;

namespace HwSim.Arch.Serving;

/// <summary>
/// How the DRAM is shared: the weights first (every parameter at the run's weight storage; both copies when prefill
/// and decode run different weights), the rest holds the KV cache in blocks. KV bytes per token = 2 (K and V) ×
/// layers × KV heads × head dim elements in the KV-cache datatype (vLLM CacheEngine.get_cache_block_size).
/// </summary>
public sealed record KvCapacity(long DramBytes, long WeightBytes, long KvBytesPerToken, long BlockBytes, long Blocks, int BlockTokens)
{
    public static KvCapacity Of(long dramBytes, ModelConfig model, RunFormats formats, int blockTokens)
    {
        var tensors = ParameterInventory.Of(model);
        long Weights(PhaseWeights w) => tensors.Sum(t => w.Bytes.Bytes(t.Elements));
        long weightBytes = formats.SamePhases ? Weights(formats.Prefill) : checked(Weights(formats.Prefill) + Weights(formats.Decode));
        long elementsPerToken = 2L * model.Layers * model.KvWidth;
        long perToken = formats.KvCache.Storage.Bytes(elementsPerToken);
        long blockBytes = formats.KvCache.Storage.Bytes(checked(elementsPerToken * blockTokens));
        long blocks = Math.Max(0, dramBytes - weightBytes) / blockBytes;
        return new KvCapacity(dramBytes, weightBytes, perToken, blockBytes, blocks, blockTokens);
    }

    public long KvTokens => Blocks * BlockTokens;
}
