namespace HwSim.CostModels.Allocation;

/// <summary>The objective's normalization: its largest sensitivity coefficient (1 when all are zero).</summary>
internal static class ObjectiveScale
{
    public static double Largest(AllocationProblem problem)
    {
        double largest = problem.Decisions.SelectMany(d => d.Choices).Max(c => Math.Abs(c.Sensitivity));
        return largest > 0 ? largest : 1;
    }
}
