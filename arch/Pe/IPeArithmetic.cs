namespace HwSim.Arch.Pe;

/// <summary>
/// What a PE kind's datapath does with integer operands, cycle by cycle. The detailed model derives a datatype's
/// step schedule from <see cref="CyclesFor"/> over every value of the datatype (the work the serial loop performs),
/// independently of the closed form <see cref="PeSpec.CyclesPerStep"/>; <see cref="Dot"/> then computes what the
/// hardware computes in that schedule, so a schedule one cycle too short gives wrong sums.
/// </summary>
public interface IPeArithmetic
{
    /// <summary>The cycles this datapath's loop spends consuming <paramref name="weight"/> (at least 1).</summary>
    int CyclesFor(long weight);

    /// <summary>Σ a[d] · w[d] as the datapath forms it in <paramref name="cycles"/> cycles per weight.</summary>
    long Dot(ReadOnlySpan<long> a, ReadOnlySpan<long> w, int cycles);
}
