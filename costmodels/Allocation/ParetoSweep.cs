namespace HwSim.CostModels.Allocation;

/// <summary>One point of the latency–sensitivity frontier: the latency budget and the optimal plan under it.</summary>
public sealed record ParetoPoint(long LatencyBudgetCycles, AllocationResult Result);

/// <summary>
/// Sweeps the latency budget evenly from the smallest achievable latency to the all-widest plan's and solves at each
/// (other budgets as given); the frontier keeps the points whose plans are not dominated in (latency, sensitivity).
/// </summary>
public static class ParetoSweep
{
    public static IReadOnlyList<ParetoPoint> Run(AllocationProblem problem, IAllocationSolver solver, int points, TimeSpan timeLimit, long widestLatencyCycles)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "a sweep needs at least 2 points");
        long low = Infeasibility.Smallest(problem, Resource.Latency);
        long high = Math.Max(low, widestLatencyCycles);
        var solved = new List<ParetoPoint>();
        for (int i = 0; i < points; i++)
        {
            long budget = low + (long)((Int128)(high - low) * i / (points - 1));
            var result = solver.Solve(problem with { Budgets = problem.Budgets with { LatencyCycles = budget } }, timeLimit);
            if (result.HasPlan) solved.Add(new ParetoPoint(budget, result));
        }
        return [.. solved.Where(p => !solved.Any(q => Dominates(q, p))).GroupBy(p => string.Join(',', p.Result.Picks)).Select(g => g.First())];
    }

    private static bool Dominates(ParetoPoint a, ParetoPoint b)
    {
        var (x, y) = (a.Result.Totals!, b.Result.Totals!);
        return x.LatencyCycles <= y.LatencyCycles && x.Sensitivity <= y.Sensitivity
            && (x.LatencyCycles < y.LatencyCycles || x.Sensitivity < y.Sensitivity);
    }
}
