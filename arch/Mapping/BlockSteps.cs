using System.Collections;

namespace HwSim.Arch.Mapping;

/// <summary>
/// The block steps of a <see cref="GemmMapping"/>, held as groups of consecutive outer blocks whose steps are equal but
/// for the outer block's offset: in the usual mapping every full outer block loads the same bytes and runs the same
/// folds, so a GEMM of millions of steps (LLaMA-2-70B prefill at batch 64, P = 4096: 14.7 M for down_proj) is stored
/// as a few patterns. Reading a step computes its offset, so the list reads exactly as the expanded steps would.
/// </summary>
public sealed class BlockSteps : IReadOnlyList<BlockStep>
{
    private readonly List<BlockStepGroup> groups = [];
    private readonly List<long> groupStarts = [];
    private long count;

    /// <param name="aOuter">Whether the outer blocks run along M (A outer), so that their offset is M0; else N0.</param>
    /// <param name="outerStride">Rows (A outer) or columns (B outer) from one outer block to the next.</param>
    public BlockSteps(bool aOuter, long outerStride)
    {
        AOuter = aOuter;
        OuterStride = outerStride;
    }

    public bool AOuter { get; }

    public long OuterStride { get; }

    /// <summary>The groups in loop order.</summary>
    public IReadOnlyList<BlockStepGroup> Groups => groups;

    public int Count => checked((int)count);

    /// <summary>Steps in all (a mapping may exceed what an <see cref="IReadOnlyList{T}"/> can index).</summary>
    public long LongCount => count;

    /// <summary>Appends one outer block whose steps are <paramref name="pattern"/> (at least one).</summary>
    internal void AddBlock(BlockStep[] pattern)
    {
        groups.Add(new BlockStepGroup(pattern, 1));
        groupStarts.Add(count);
        count += pattern.Length;
    }

    /// <summary>Repeats the last group's pattern for one more outer block, one <see cref="OuterStride"/> further.</summary>
    internal void RepeatLast()
    {
        var last = groups[^1];
        groups[^1] = last with { Blocks = last.Blocks + 1 };
        count += last.Pattern.Length;
    }

    public BlockStep this[int index] => At(index);

    public BlockStep At(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        int found = groupStarts.BinarySearch(index);
        int group = found >= 0 ? found : ~found - 1;
        var pattern = groups[group].Pattern;
        long within = index - groupStarts[group];
        return Shifted(pattern[(int)(within % pattern.Length)], within / pattern.Length);
    }

    private BlockStep Shifted(in BlockStep step, long blocks) =>
        blocks == 0 ? step
        : AOuter ? step with { M0 = step.M0 + blocks * OuterStride }
        : step with { N0 = step.N0 + blocks * OuterStride };

    public IEnumerator<BlockStep> GetEnumerator()
    {
        foreach (var group in groups)
            for (long block = 0; block < group.Blocks; block++)
                foreach (var step in group.Pattern)
                    yield return Shifted(step, block);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary><see cref="Blocks"/> consecutive outer blocks, each running <see cref="Pattern"/> (given for the first of them).</summary>
public readonly record struct BlockStepGroup(BlockStep[] Pattern, long Blocks);
