namespace HwSim.Workloads.Tracing;

/// <summary>
/// An exact count that depends linearly on the KV-cache length of a decode step: Constant + PerKv · kv. Prefill
/// quantities have PerKv = 0. Keeping decode ops in this form lets T steps be summed in closed form instead of
/// materializing T copies.
/// </summary>
public readonly record struct Affine(long Constant, long PerKv = 0)
{
    public static implicit operator Affine(long constant) => new(constant);

    public bool IsConstant => PerKv == 0;

    public long At(long kv) => checked(Constant + PerKv * kv);

    /// <summary>Σ At(kv) for kv = first .. first + count − 1.</summary>
    public Int128 SumOver(long first, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Int128 kvSum = (Int128)count * first + (Int128)count * (count - 1) / 2;
        return (Int128)Constant * count + (Int128)PerKv * kvSum;
    }

    public static Affine operator +(Affine a, Affine b) => new(checked(a.Constant + b.Constant), checked(a.PerKv + b.PerKv));

    /// <summary>Product; exact only while at most one factor depends on kv (true of every op the tracer builds).</summary>
    public static Affine operator *(Affine a, Affine b)
    {
        if (!a.IsConstant && !b.IsConstant) throw new InvalidOperationException("product of two kv-dependent counts is not affine");
        return new Affine(checked(a.Constant * b.Constant), checked(a.Constant * b.PerKv + a.PerKv * b.Constant));
    }

    public override string ToString() => PerKv == 0 ? Constant.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"{Constant} + {PerKv}·kv";
}
