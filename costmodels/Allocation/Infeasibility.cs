namespace HwSim.CostModels.Allocation;

public enum Resource { Latency, Energy, Memory, Area }

/// <summary>A budget below the smallest value any plan reaches on that resource alone.</summary>
public sealed record InfeasibleBudget(Resource Resource, long Smallest, long Budget);

/// <summary>
/// Why a program has no plan: for each budget, the smallest value any plan achieves on that resource alone (the
/// cheapest choice per decision; for area, the cheapest set of features that still leaves every decision a choice,
/// found exhaustively over the few features). When each budget alone can be met, they conflict with each other.
/// </summary>
public static class Infeasibility
{
    public static IReadOnlyList<InfeasibleBudget> Diagnose(AllocationProblem problem)
    {
        var found = new List<InfeasibleBudget>();
        var b = problem.Budgets;
        if (b.LatencyCycles is { } l && Smallest(problem, Resource.Latency) is var lat && lat > l) found.Add(new(Resource.Latency, lat, l));
        if (b.EnergyPicoJoules is { } e && Smallest(problem, Resource.Energy) is var en && en > e) found.Add(new(Resource.Energy, en, e));
        if (b.WeightBits is { } m && Smallest(problem, Resource.Memory) is var mem && mem > m) found.Add(new(Resource.Memory, mem, m));
        if (b.AreaUm2 is { } a && Smallest(problem, Resource.Area) is var area && area > a) found.Add(new(Resource.Area, area, a));
        return found;
    }

    public static long Smallest(AllocationProblem problem, Resource resource) => resource switch
    {
        Resource.Latency => problem.FixedLatencyCycles + problem.Decisions.Sum(d => d.Choices.Min(c => c.LatencyCycles)),
        Resource.Energy => problem.FixedEnergyPicoJoules + problem.Decisions.Sum(d => d.Choices.Min(c => c.EnergyPicoJoules)),
        Resource.Memory => problem.FixedWeightBits + problem.Decisions.Sum(d => d.Choices.Min(c => c.WeightBits)),
        _ => SmallestArea(problem),
    };

    private static long SmallestArea(AllocationProblem problem)
    {
        var features = problem.Features.ToList();
        if (features.Count > 20) throw new InvalidOperationException("too many features to search exhaustively");
        long best = long.MaxValue;
        for (int mask = 0; mask < 1 << features.Count; mask++)
        {
            var chosen = features.Where((_, i) => (mask >> i & 1) != 0).ToHashSet();
            if (!problem.Decisions.All(d => d.Choices.Any(c => c.Feature is null || chosen.Contains(c.Feature)))) continue;
            best = Math.Min(best, problem.BaseAreaUm2 + chosen.Sum(f => problem.FeatureAreaUm2[f]));
        }
        return best;
    }
}
