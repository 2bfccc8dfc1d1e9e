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
    /// <summary>
    /// ANT's weight search up to 6 bits: 75% … 149% of absmax in 1% steps (w_low = 75, w_up = 150 in
    /// ant_quantization/ImageNet/main.py and BERT/run_glue.py; <c>range(lb, ub)</c> in quant_modules.py
    /// <c>search_mse</c>, clevercool/ANT-Quantization @bc84067).
    /// </summary>
    public static readonly ClipSearch Ant = new(0.75, 1.50, 0.01);

    /// <summary>ANT's search above 6 bits: the lower end moves to 95% (<c>if self.bit &gt; 6: lb = 95</c>, same file).</summary>
    public static readonly ClipSearch AntAbove6Bits = new(0.95, 1.50, 0.01);

    public IReadOnlyList<double> Fractions()
    {
        if (!(Step > 0) || !(From > 0) || !(To > From)) throw new ArgumentException($"bad clip search {From}..{To} step {Step}");
        int count = (int)Math.Ceiling(Math.Round((To - From) / Step, 9));
        return [.. Enumerable.Range(0, count).Select(i => Math.Round(From + i * Step, 9))];
    }
}
