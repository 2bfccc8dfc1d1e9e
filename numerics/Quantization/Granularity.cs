namespace HwSim.Numerics.Quantization;

public enum GranularityKind { PerTensor, PerChannel, PerGroup }

/// <summary>How many weights share one scale: the whole tensor, one output channel (row), or a group of G
/// consecutive weights along the input channel (the last group of a row may be shorter).</summary>
public sealed record Granularity(GranularityKind Kind, int GroupSize = 0)
{
    public static readonly Granularity PerTensor = new(GranularityKind.PerTensor);
    public static readonly Granularity PerChannel = new(GranularityKind.PerChannel);

    public static Granularity Group(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return new Granularity(GranularityKind.PerGroup, size);
    }

    public int GroupSizeFor(int cols) => Kind == GranularityKind.PerGroup ? Math.Min(GroupSize, cols) : cols;

    public string Suffix => Kind switch
    {
        GranularityKind.PerTensor => "-pt",
        GranularityKind.PerChannel => "-pc",
        _ => $"-g{GroupSize}",
    };
}

/// <summary>Clipping search: candidate clip values f · reference for f = From, From + Step, … while f &lt; To.</summary>
public sealed record ClipSearch(double From, double To, double Step)
{
    /// <summary>ANT's search: 75% … 149% of absmax in 1% steps.</summary>
    public static readonly ClipSearch Ant = new(0.75, 1.50, 0.01);

    public IReadOnlyList<double> Fractions()
    {
        if (!(Step > 0) || !(From > 0) || !(To > From)) throw new ArgumentException($"bad clip search {From}..{To} step {Step}");
        int count = (int)Math.Ceiling(Math.Round((To - From) / Step, 9));
        return [.. Enumerable.Range(0, count).Select(i => Math.Round(From + i * Step, 9))];
    }
}
