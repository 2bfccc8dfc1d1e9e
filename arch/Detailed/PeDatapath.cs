using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Detailed;

/// <summary>
/// One PE's datapath for one weight datatype: its step schedule and its arithmetic. The schedule is the longest
/// work the PE kind's loop performs on any value of the datatype (<see cref="IPeArithmetic.CyclesFor"/> over every
/// value), derived here without the closed form of <see cref="PeSpec.CyclesPerStep"/>, which the tests compare it
/// with. Within a step the cycles touch only the PE's own accumulator, so they run as one loop per PE.
/// </summary>
public sealed class PeDatapath
{
    private readonly IPeArithmetic arithmetic;

    public PeDatapath(PeSpec pe, WeightDatatype weights)
    {
        if (!weights.IsInteger)
            throw new ArgumentException($"the detailed model computes integer datapaths; '{weights.Name}' is floating point");
        arithmetic = pe.Arithmetic();
        CyclesPerStep = weights.Values.Max(arithmetic.CyclesFor);
    }

    /// <summary>Cycles of every dot-product step: the PE's fixed schedule for the datatype.</summary>
    public int CyclesPerStep { get; }

    /// <summary>
    /// The cycles the datapath's loop spends on this step's weights: the longest lane's digit / term loop (at least
    /// 1). A step of the array always takes <see cref="CyclesPerStep"/>; this is when a PE that stops as soon as its
    /// operands are consumed would finish, what the reference RTL measures.
    /// </summary>
    public int WorkCycles(ReadOnlySpan<long> w)
    {
        int cycles = 1;
        foreach (long weight in w) cycles = Math.Max(cycles, arithmetic.CyclesFor(weight));
        return cycles;
    }

    /// <summary>Σ a[d] · w[d] over one step of <see cref="CyclesPerStep"/> cycles.</summary>
    public long DotStep(ReadOnlySpan<long> a, ReadOnlySpan<long> w) => arithmetic.Dot(a, w, CyclesPerStep);
}
