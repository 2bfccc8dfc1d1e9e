using HwSim.CostModels.Allocation;

namespace HwSim.Tests.CostModels;

/// <summary>Both backends against exhaustive search on small random programs, for every kind of budget.</summary>
public sealed class AllocationSolverTests
{
    public enum BudgetKind { Latency, Energy, Memory, Area, All }

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static TheoryData<BudgetKind, int> Cases()
    {
        var data = new TheoryData<BudgetKind, int>();
        foreach (var kind in Enum.GetValues<BudgetKind>())
            for (int seed = 0; seed < 12; seed++) data.Add(kind, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothBackendsFindTheBruteForceOptimum(BudgetKind kind, int seed)
    {
        var problem = RandomProblem(kind, seed);
        var (bestPicks, best) = BruteForce(problem);
        foreach (IAllocationSolver solver in new IAllocationSolver[] { new ScipAllocationSolver(), new CpSatAllocationSolver() })
        {
            var result = solver.Solve(problem, Limit);
            if (bestPicks is null)
            {
                Assert.Equal(AllocationStatus.Infeasible, result.Status);
                continue;
            }
            Assert.Equal(AllocationStatus.Optimal, result.Status);
            Assert.True(problem.Fits(result.Totals!), $"{solver.Name} plan breaks a budget");
            double tolerance = solver is CpSatAllocationSolver ? CpSatAllocationSolver.ScalingError(problem) : 1e-9 * Math.Abs(best);
            Assert.InRange(result.Totals!.Sensitivity, best - 1e-12, best + tolerance + 1e-12);
        }
    }

    [Fact]
    public void SomeRandomProgramsAreInfeasibleAndSomeAreNot()
    {
        // The grid above must exercise both outcomes, or it proves less than it claims.
        var outcomes = Enum.GetValues<BudgetKind>().SelectMany(k => Enumerable.Range(0, 12).Select(s => BruteForce(RandomProblem(k, s)).Picks is null)).ToList();
        Assert.Contains(true, outcomes);
        Assert.Contains(false, outcomes);
    }

    [Fact]
    public void TheAreaBudgetChargesEachFeatureOnce()
    {
        // Two decisions both choosing the feature-needing datatype pay its area once.
        Choice Cheap(string feature) => new("a", 0, 1, 1, 1, feature);
        Choice Costly() => new("b", 10, 1, 1, 1, null);
        var problem = new AllocationProblem(
            [new("d0", [(0, "q")], [Cheap("dec"), Costly()]), new("d1", [(0, "k")], [Cheap("dec"), Costly()])],
            0, 0, 0, 100, new Dictionary<string, long> { ["dec"] = 50 }, new Budgets(AreaUm2: 150));
        var result = new ScipAllocationSolver().Solve(problem, Limit);
        Assert.Equal([0, 0], result.Picks);
        Assert.Equal(150, result.Totals!.AreaUm2);
    }

    internal static AllocationProblem RandomProblem(BudgetKind kind, int seed)
    {
        var random = new Random(1000 * (int)kind + seed);
        int decisions = random.Next(3, 9);
        string[] features = ["dec-a", "dec-b"];
        var list = new List<Decision>();
        for (int i = 0; i < decisions; i++)
        {
            // Some decisions repeat an earlier one exactly, as identical layers do: the solvers fold those into counts.
            if (i > 0 && random.Next(3) == 0)
            {
                list.Add(new Decision($"op{i}", [(i, "op")], list[random.Next(i)].Choices));
                continue;
            }
            var choices = new List<Choice>();
            for (int c = 0; c < 3; c++)
            {
                // Wider datatypes: less sensitive, slower, hungrier, bigger.
                int width = 2 + 2 * c + random.Next(2);
                choices.Add(new Choice($"t{c}", Math.Round(random.NextDouble() * 100 / width, 6), width * random.Next(50, 100),
                    width * random.Next(1000, 2000), width * 4096L, c == 0 ? features[random.Next(2)] : null));
            }
            list.Add(new Decision($"op{i}", [(i, "op")], choices));
        }
        var unconstrained = new AllocationProblem(list, 1000, 5000, 8192, 100_000,
            new Dictionary<string, long> { ["dec-a"] = 3000, ["dec-b"] = 5000 }, new Budgets());
        // A budget somewhere between the cheapest and the dearest plan, sometimes below the cheapest.
        var all = Enumerate(unconstrained).Select(unconstrained.Totals).ToList();
        long Between(Func<PlanTotals, long> of) => (long)(all.Min(of) + (all.Max(of) - all.Min(of)) * (random.NextDouble() * 1.1 - 0.1));
        var budgets = kind switch
        {
            BudgetKind.Latency => new Budgets(LatencyCycles: Between(t => t.LatencyCycles)),
            BudgetKind.Energy => new Budgets(EnergyPicoJoules: Between(t => t.EnergyPicoJoules)),
            BudgetKind.Memory => new Budgets(WeightBits: Between(t => t.WeightBits)),
            BudgetKind.Area => new Budgets(AreaUm2: Between(t => t.AreaUm2)),
            _ => new Budgets(Between(t => t.LatencyCycles), Between(t => t.EnergyPicoJoules), Between(t => t.WeightBits), Between(t => t.AreaUm2)),
        };
        return unconstrained with { Budgets = budgets };
    }

    internal static (int[]? Picks, double Best) BruteForce(AllocationProblem problem)
    {
        int[]? bestPicks = null;
        double best = double.PositiveInfinity;
        foreach (var picks in Enumerate(problem))
        {
            var totals = problem.Totals(picks);
            if (problem.Fits(totals) && totals.Sensitivity < best) (best, bestPicks) = (totals.Sensitivity, picks);
        }
        return (bestPicks, best);
    }

    private static IEnumerable<int[]> Enumerate(AllocationProblem problem)
    {
        int n = problem.Decisions.Count;
        var picks = new int[n];
        while (true)
        {
            yield return (int[])picks.Clone();
            int i = 0;
            while (i < n && ++picks[i] == problem.Decisions[i].Choices.Count) picks[i++] = 0;
            if (i == n) yield break;
        }
    }
}
