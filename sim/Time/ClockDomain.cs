namespace HwSim.Sim.Time;

/// <summary>
/// A clock with a fixed frequency. Edge times are computed from the cycle index, never accumulated period by
/// period, so a domain whose period is not a whole number of picoseconds (e.g. 700 MHz = 1428.571... ps) does not
/// drift: the time of edge n is floor(n * 10^12 / f) ps, evaluated exactly in 128-bit integers.
/// </summary>
public sealed record ClockDomain
{
    public const long PicosecondsPerSecond = 1_000_000_000_000L;

    public string Name { get; }
    public long FrequencyHz { get; }

    public ClockDomain(string name, long frequencyHz)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (frequencyHz <= 0 || frequencyHz > PicosecondsPerSecond)
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz,
                "clock frequency must be in 1 Hz .. 1 THz (one edge per picosecond at most)");
        Name = name;
        FrequencyHz = frequencyHz;
        long divisor = (long)Gcd(PicosecondsPerSecond, frequencyHz);
        periodNumerator = PicosecondsPerSecond / divisor;
        periodDenominator = frequencyHz / divisor;
        wholePs = periodNumerator / periodDenominator;
        remainderPs = periodNumerator % periodDenominator;
    }

    // The period 10^12 / f ps in lowest terms, numerator / denominator = wholePs + remainderPs / denominator: edge
    // and cycle look-ups then stay in 64-bit integers whenever the products fit (700 MHz: 10000 / 7 ps).
    private readonly long periodNumerator, periodDenominator, wholePs, remainderPs;

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    public static ClockDomain FromMegahertz(string name, long megahertz) => new(name, checked(megahertz * 1_000_000));

    /// <summary>Time of rising edge <paramref name="cycle"/>: floor(cycle * 10^12 / f) picoseconds.</summary>
    public long EdgeTimePs(long cycle)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cycle);
        // floor(n · num / den) = n · whole + floor(n · rem / den), exact when n · rem fits.
        if (remainderPs == 0 || cycle <= long.MaxValue / remainderPs)
            return checked(cycle * wholePs + cycle * remainderPs / periodDenominator);
        Int128 numerator = (Int128)cycle * PicosecondsPerSecond;
        return checked((long)(numerator / FrequencyHz));
    }

    /// <summary>
    /// The cycle whose edge is at or before <paramref name="timePs"/>: the largest n with EdgeTimePs(n) &lt;= t.
    /// floor(n·10^12/f) &lt;= t  ⇔  n·10^12 &lt; (t+1)·f  ⇔  n = floor(((t+1)·f − 1) / 10^12).
    /// </summary>
    public long CycleAtOrBefore(long timePs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timePs);
        // n · 10^12 < (t+1) · f  ⇔  n · num < (t+1) · den (both sides divided by their common factor).
        if (timePs < long.MaxValue / periodDenominator - 1)
            return ((timePs + 1) * periodDenominator - 1) / periodNumerator;
        Int128 scaled = ((Int128)timePs + 1) * FrequencyHz - 1;
        return (long)(scaled / PicosecondsPerSecond);
    }

    /// <summary>The first cycle whose edge is at or after <paramref name="timePs"/>.</summary>
    public long CycleAtOrAfter(long timePs)
    {
        long cycle = CycleAtOrBefore(timePs);
        return EdgeTimePs(cycle) == timePs ? cycle : cycle + 1;
    }

    /// <summary>Time of the edge <paramref name="cycles"/> after the edge at or before <paramref name="timePs"/>.</summary>
    public long EdgeAfterCyclesPs(long timePs, long cycles)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cycles);
        return EdgeTimePs(checked(CycleAtOrBefore(timePs) + cycles));
    }

    public override string ToString() => $"{Name} @ {FrequencyHz} Hz";
}
