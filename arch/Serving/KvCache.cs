namespace HwSim.Arch.Serving;

/// <summary>
/// The KV cache as a pool of fixed-size blocks (PagedAttention, Kwon et al., SOSP'23 Sec. 4; vLLM's default block of
/// 16 tokens, <c>CacheConfig.DEFAULT_BLOCK_SIZE</c>): a sequence of n tokens holds ceil(n / block) blocks, only the
/// last one partly filled.
/// </summary>
public sealed class KvCache
{
    /// <summary>vLLM's block size in tokens (vllm/config/cache.py DEFAULT_BLOCK_SIZE; v0 and Vidur use 16 too).</summary>
    public const int DefaultBlockTokens = 16;

    public KvCache(long totalBlocks, int blockTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBlocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockTokens, 1);
        TotalBlocks = totalBlocks;
        BlockTokens = blockTokens;
    }

    public long TotalBlocks { get; }
    public int BlockTokens { get; }
    public long UsedBlocks { get; private set; }
    public long FreeBlocks => TotalBlocks - UsedBlocks;

    public long BlocksFor(long tokens) => (tokens + BlockTokens - 1) / BlockTokens;

    /// <summary>Grows <paramref name="request"/> to hold <paramref name="tokens"/> tokens; false (nothing taken) when the blocks are not free.</summary>
    public bool TryReserve(RequestState request, long tokens)
    {
        long needed = BlocksFor(tokens) - request.HeldBlocks;
        if (needed <= 0) return true;
        if (needed > FreeBlocks) return false;
        UsedBlocks += needed;
        request.HeldBlocks += needed;
        return true;
    }

    public void Release(RequestState request)
    {
        UsedBlocks -= request.HeldBlocks;
        request.HeldBlocks = 0;
    }
}
