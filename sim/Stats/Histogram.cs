namespace HwSim.Sim.Stats;

/// <summary>
/// Integer histogram with <c>binCount</c> bins of equal width starting at <c>low</c>, plus under- and overflow
/// counts and exact count, sum, minimum and maximum.
/// </summary>
public sealed class Histogram
{
    private readonly long[] bins;
    private long underflow;
    private long overflow;

    public Histogram(string name, long low, long binWidth, int binCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        Name = name;
        Low = low;
        BinWidth = binWidth;
        bins = new long[binCount];
    }

    public string Name { get; }
    public long Low { get; }
    public long BinWidth { get; }
    public long Count { get; private set; }
    public long Sum { get; private set; }
    public long Min { get; private set; } = long.MaxValue;
    public long Max { get; private set; } = long.MinValue;

    public void Add(long value)
    {
        Count++;
        Sum = checked(Sum + value);
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        if (value < Low)
        {
            underflow++;
            return;
        }
        long bin = (value - Low) / BinWidth;
        if (bin >= bins.Length) overflow++;
        else bins[bin]++;
    }

    public HistogramReport Report() => new(Name, Low, BinWidth, [.. bins], underflow, overflow, Count, Sum,
        Count == 0 ? 0 : Min, Count == 0 ? 0 : Max);
}
