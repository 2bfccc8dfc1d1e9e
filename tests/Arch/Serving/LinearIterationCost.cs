using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// An iteration cost simple enough to work serving runs out by hand: 1000 cycles + 10 per token the iteration
/// processes. Records every batch it was asked to price.
/// </summary>
internal sealed class LinearIterationCost : IIterationCost
{
    public List<SequenceStep[]> Batches { get; } = [];

    public long Cycles(IReadOnlyList<SequenceStep> steps)
    {
        Batches.Add([.. steps]);
        return 1000 + 10 * steps.Sum(s => (long)s.Queries);
    }

    public long Simulations => Batches.Count;
}
