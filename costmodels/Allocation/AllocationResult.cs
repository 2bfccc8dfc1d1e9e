namespace HwSim.CostModels.Allocation;

public enum AllocationStatus { Optimal, Feasible, Infeasible, NoSolution }

/// <summary>
/// A solver's answer: the choice index per decision (empty unless a plan was found), its totals, the proven lower
/// bound on the objective and the relative gap between them, and how long the solve took.
/// </summary>
public sealed record AllocationResult(
    string Backend,
    AllocationStatus Status,
    IReadOnlyList<int> Picks,
    PlanTotals? Totals,
    double BestBound,
    TimeSpan SolveTime)
{
    public bool HasPlan => Picks.Count > 0;

    /// <summary>(objective − bound) / max(|objective|, tiny): 0 when the plan is proven optimal.</summary>
    public double Gap => Totals is null ? double.PositiveInfinity
        : Math.Max(0, Totals.Sensitivity - BestBound) / Math.Max(Math.Abs(Totals.Sensitivity), 1e-300);
}

/// <summary>A backend that solves the bit-allocation program: SCIP (MIP) or CP-SAT.</summary>
public interface IAllocationSolver
{
    string Name { get; }

    AllocationResult Solve(AllocationProblem problem, TimeSpan timeLimit);
}
