namespace HwSim.Workloads.Tracing;

/// <summary>
/// Sums of a function over consecutive KV lengths in closed form, for functions that are periodic-affine: f(kv + P)
/// = f(kv) + D for every kv (the byte count of an affine element count in a format whose bytes round up: see
/// <see cref="TraceOp.BytesOver"/>). Costs at most 2·P evaluations whatever the count.
/// </summary>
public static class PeriodicSum
{
    /// <summary>Σ f(kv) for kv = first .. first + count − 1, where f(kv + <paramref name="period"/>) − f(kv) is the same for every kv.</summary>
    public static Int128 Of(Func<long, long> f, long first, long count, long period)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        if (count <= 2 * period) return Loop(f, first, count);
        // count = q·P + r: period i adds i·D to each of its P terms, and the r terms past the last whole period are
        // the first r terms plus q·D.
        long q = count / period, r = count % period;
        Int128 whole = Loop(f, first, period), rest = Loop(f, first, r);
        Int128 d = (Int128)f(checked(first + period)) - f(first);
        return q * whole + d * period * ((Int128)q * (q - 1) / 2) + rest + (Int128)r * q * d;
    }

    private static Int128 Loop(Func<long, long> f, long first, long count)
    {
        Int128 sum = 0;
        for (long i = 0; i < count; i++) sum += f(checked(first + i));
        return sum;
    }
}
