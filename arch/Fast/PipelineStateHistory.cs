using System.Runtime.InteropServices;

namespace HwSim.Arch.Fast;

/// <summary>
/// The values of the pipeline's state at the start of tile <see cref="Tile"/> of op <see cref="Op"/>. Mutable: a
/// shape seen again replaces its snapshot in place (most tile starts do), so the look-ahead allocates nothing there.
/// </summary>
internal sealed class PipelineSnapshot(long tile, int op, long[] values, long[] aux, long finished)
{
    public long Tile { get; private set; } = tile;
    public int Op { get; private set; } = op;
    public long[] Values { get; private set; } = values;
    public long[] Aux { get; private set; } = aux;
    public long Finished { get; private set; } = finished;

    public void Replace(long tile, int op, long[] values, long[] aux, long finished) =>
        (Tile, Op, Values, Aux, Finished) = (tile, op, values, aux, finished);
}

/// <summary>
/// The states the pipeline has passed through, by shape (the state relative to the tile computing): a shape seen
/// again marks a candidate period. Bounded: a full table is replaced, since old states stop being useful once their
/// tiles leave the pipeline's window; that limits only how much can be skipped, never what the results are.
/// </summary>
internal sealed class PipelineStateHistory
{
    private const int MaxEntries = 1 << 14;

    private Dictionary<long[], PipelineSnapshot> entries = new(ShapeComparer.Instance);

    /// <summary>The snapshot last recorded under <paramref name="shape"/> (to be replaced in place).</summary>
    public bool TryFind(ReadOnlySpan<long> shape, out PipelineSnapshot earlier)
    {
        if (entries.Count >= MaxEntries) entries = new Dictionary<long[], PipelineSnapshot>(ShapeComparer.Instance);
        return entries.GetAlternateLookup<ReadOnlySpan<long>>().TryGetValue(shape, out earlier!);
    }

    /// <summary>Records <paramref name="snapshot"/> under <paramref name="shape"/>, a shape not recorded yet.</summary>
    public void Record(long[] shape, PipelineSnapshot snapshot) => entries.Add(shape, snapshot);

    /// <summary>Compares state shapes by value.</summary>
    private sealed class ShapeComparer : IEqualityComparer<long[]>, IAlternateEqualityComparer<ReadOnlySpan<long>, long[]>
    {
        public static readonly ShapeComparer Instance = new();

        public bool Equals(long[]? x, long[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(long[] shape) => GetHashCode(shape.AsSpan());

        public bool Equals(ReadOnlySpan<long> alternate, long[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<long> shape)
        {
            var hash = new HashCode();
            foreach (long value in shape) hash.Add(value);
            return hash.ToHashCode();
        }

        public long[] Create(ReadOnlySpan<long> alternate) => alternate.ToArray();
    }
}
