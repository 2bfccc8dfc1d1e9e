using HwSim.CostModels.Allocation;
using HwSim.Numerics.Formats;

namespace HwSim.Tests.CostModels;

/// <summary>
/// The allocation program's own arithmetic without the simulator: budgets, classes, validation texts, result gaps,
/// objective scaling at extreme sensitivities, exact budgets, infeasibility explanations against hand-worked minima,
/// and the Pareto sweep's budgets and dominance filter with a scripted solver.
/// </summary>
public sealed class AllocationProgramTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private static AllocationProblem Program(IReadOnlyList<Decision> decisions, Budgets? budgets = null, IReadOnlyDictionary<string, long>? areas = null,
        long fixedLatency = 0, long fixedEnergy = 0, long fixedWeights = 0, long baseArea = 0) =>
        new(decisions, fixedLatency, fixedEnergy, fixedWeights, baseArea, areas ?? new Dictionary<string, long>(), budgets ?? new Budgets());

    private static Decision D(string name, params Choice[] choices) => new(name, [(0, name)], choices);

    [Fact]
    public void AnyBudgetCounts()
    {
        Assert.False(new Budgets().Any);
        Assert.True(new Budgets(LatencyCycles: 1).Any);
        Assert.True(new Budgets(EnergyPicoJoules: 1).Any);
        Assert.True(new Budgets(WeightBits: 1).Any);
        Assert.True(new Budgets(AreaUm2: 1).Any);
    }

    [Fact]
    public void FeaturesAreDistinctAndInOrdinalOrder()
    {
        var problem = Program([D("d0", new Choice("a", 0, 1, 1, 1, "z"), new Choice("b", 0, 1, 1, 1, "a")), D("d1", new Choice("c", 0, 1, 1, 1, "m"), new Choice("d", 0, 1, 1, 1, "a"))]);
        Assert.Equal(["a", "m", "z"], problem.Features);
    }

    [Fact]
    public void StructuralProblemsAreNamed()
    {
        Assert.Equal("the program has no decisions", Program([]).Validate());
        Assert.Equal("d1: no candidate datatype", Program([D("d0", new Choice("a", 0, 1, 1, 1, null)), D("d1")]).Validate());
        Assert.Equal("no area for feature 'dec'", Program([D("d0", new Choice("a", 0, 1, 1, 1, "dec"))]).Validate());
        Assert.Null(Program([D("d0", new Choice("a", 0, 1, 1, 1, "dec"))], areas: new Dictionary<string, long> { ["dec"] = 1 }).Validate());
        var problem = Program([D("d0", new Choice("a", 0, 1, 1, 1, null)), D("d1", new Choice("b", 0, 1, 1, 1, null))]);
        Assert.StartsWith("d0 has no choice b", Assert.Throws<ArgumentException>(() => problem.Uniform("b")).Message);
    }

    [Fact]
    public void OnlyDecisionsWithIdenticalChoiceListsShareAClass()
    {
        // Without a separator between choices the two signatures would read the same.
        var problem = Program(
        [
            D("x", new Choice("a", 1, 1, 1, 1, "x"), new Choice("b", 2, 2, 2, 2, null)),
            D("y", new Choice("a", 1, 1, 1, 1, "xb|2|2|2|2|")),
            D("z", new Choice("a", 1, 1, 1, 1, "x"), new Choice("b", 2, 2, 2, 2, null)),
        ]);
        Assert.Equal([[0, 2], [1]], problem.Classes().Select(c => c.ToArray()));
    }

    [Fact]
    public void AResultHasAPlanOnlyWithPicksAndItsGapIsRelativeToTheObjective()
    {
        var totals = new PlanTotals(10, 0, 0, 0, 0);
        Assert.False(new AllocationResult("s", AllocationStatus.Infeasible, [], null, double.NaN, TimeSpan.Zero).HasPlan);
        Assert.True(new AllocationResult("s", AllocationStatus.Optimal, [0], totals, 10, TimeSpan.Zero).HasPlan);
        Assert.Equal(double.PositiveInfinity, new AllocationResult("s", AllocationStatus.NoSolution, [], null, double.NaN, TimeSpan.Zero).Gap);
        Assert.Equal(0.2, new AllocationResult("s", AllocationStatus.Feasible, [0], totals, 8, TimeSpan.Zero).Gap, 1e-15);
        // A bound above the objective (rounding) is no gap; a negative objective's gap uses its magnitude.
        Assert.Equal(0, new AllocationResult("s", AllocationStatus.Feasible, [0], totals, 11, TimeSpan.Zero).Gap);
        Assert.Equal(1, new AllocationResult("s", AllocationStatus.Feasible, [0], totals with { Sensitivity = -5 }, -10, TimeSpan.Zero).Gap, 1e-15);
        Assert.Equal(0, new AllocationResult("s", AllocationStatus.Optimal, [0], totals with { Sensitivity = 0 }, 0, TimeSpan.Zero).Gap);
    }

    [Fact]
    public void BackendsNameThemselvesAndCpSatStatesItsScalingError()
    {
        Assert.Equal("SCIP", new ScipAllocationSolver().Name);
        Assert.Equal("CP-SAT", new CpSatAllocationSolver().Name);
        // n decisions × largest |sensitivity| / 10^6: 3 × 7 / 10^6, and 3 × 1 / 10^6 when every sensitivity is zero.
        var problem = Program([D("d0", new Choice("a", -7, 1, 1, 1, null)), D("d1", new Choice("a", 2, 1, 1, 1, null)), D("d2", new Choice("a", 5, 1, 1, 1, null), new Choice("b", 3, 1, 1, 1, null))]);
        Assert.Equal(3 * 7 / 1e6, CpSatAllocationSolver.ScalingError(problem));
        var flat = Program([D("d0", new Choice("a", 0, 1, 1, 1, null)), D("d1", new Choice("a", 0, 1, 1, 1, null)), D("d2", new Choice("a", 0, 1, 1, 1, null))]);
        Assert.Equal(3 / 1e6, CpSatAllocationSolver.ScalingError(flat));
    }

    public static TheoryData<double, int> Magnitudes() => new() { { 1e-9, 0 }, { 1e-9, 5 }, { 1e-9, 7 }, { 1e9, 0 }, { 1e9, 5 } };

    [Theory]
    [MemberData(nameof(Magnitudes))]
    public void TinyAndHugeSensitivitiesStillGiveTheBruteForceOptimum(double magnitude, int seed)
    {
        // The objective is normalized by its largest coefficient: without that, 10^-9-sized coefficients vanish below
        // the solvers' tolerances and 10^9-sized ones overflow CP-SAT's integers.
        var original = AllocationSolverTests.RandomProblem(AllocationSolverTests.BudgetKind.Latency, seed);
        var problem = original with
        {
            Decisions = [.. original.Decisions.Select(d => d with { Choices = [.. d.Choices.Select(c => c with { Sensitivity = c.Sensitivity * magnitude })] })],
        };
        var (bestPicks, best) = AllocationSolverTests.BruteForce(problem);
        Assert.NotNull(bestPicks);
        foreach (IAllocationSolver solver in new IAllocationSolver[] { new ScipAllocationSolver(), new CpSatAllocationSolver() })
        {
            var result = solver.Solve(problem, Limit);
            Assert.Equal(AllocationStatus.Optimal, result.Status);
            double tolerance = solver is CpSatAllocationSolver ? CpSatAllocationSolver.ScalingError(problem) : 1e-9 * best;
            Assert.InRange(result.Totals!.Sensitivity, best - 1e-12 * best, best + tolerance);
            // Proven optimal: the bound is the plan's own objective.
            Assert.Equal(result.Totals.Sensitivity, result.BestBound);
            Assert.Equal(0, result.Gap);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    public void SCIPProvesOptimalityAmongNearlyTiedPlans(int seed)
    {
        // Every choice carries the same large offset, so plans differ by less than SCIP's default relative gap (10^-4):
        // only a zero gap makes "optimal" mean the best plan.
        var original = AllocationSolverTests.RandomProblem(AllocationSolverTests.BudgetKind.Latency, seed);
        var problem = original with
        {
            Decisions = [.. original.Decisions.Select(d => d with { Choices = [.. d.Choices.Select(c => c with { Sensitivity = 1e6 + c.Sensitivity })] })],
        };
        var (bestPicks, best) = AllocationSolverTests.BruteForce(problem);
        Assert.NotNull(bestPicks);
        var result = new ScipAllocationSolver().Solve(problem, Limit);
        Assert.Equal(AllocationStatus.Optimal, result.Status);
        Assert.Equal(best, result.Totals!.Sensitivity, 1e-6);
    }

    [Fact]
    public void ABudgetIsMetWithEquality()
    {
        foreach (IAllocationSolver solver in new IAllocationSolver[] { new ScipAllocationSolver(), new CpSatAllocationSolver() })
        {
            var problem = Program([D("d0", new Choice("fast", 10, 1, 1, 1, null), new Choice("exact", 0, 5, 1, 1, null))], new Budgets(LatencyCycles: 105), fixedLatency: 100);
            var result = solver.Solve(problem, Limit);
            Assert.Equal([1], result.Picks);
            Assert.Equal(105, result.Totals!.LatencyCycles);
        }
    }

    [Fact]
    public void CpSatOutOfTimeHasNoSolutionRatherThanNoPlan()
    {
        var problem = AllocationSolverTests.RandomProblem(AllocationSolverTests.BudgetKind.Latency, 0);
        var result = new CpSatAllocationSolver().Solve(problem, TimeSpan.Zero);
        Assert.Equal(AllocationStatus.NoSolution, result.Status);
        Assert.False(result.HasPlan);
    }

    [Fact]
    public void AnInfeasibleProgramHasNoPlan()
    {
        var problem = Program([D("d0", new Choice("a", 0, 5, 1, 1, null))], new Budgets(LatencyCycles: 4));
        foreach (IAllocationSolver solver in new IAllocationSolver[] { new ScipAllocationSolver(), new CpSatAllocationSolver() })
        {
            var result = solver.Solve(problem, Limit);
            Assert.Equal((AllocationStatus.Infeasible, false), (result.Status, result.HasPlan));
        }
    }

    // Hand-worked: d0 needs A or B, d1 B or C, d2 nothing (or C), d3 D.
    private static AllocationProblem Featured(Budgets budgets) => Program(
    [
        D("d0", new Choice("a", 1, 5, 50, 400, "A"), new Choice("b", 2, 3, 70, 300, "B")),
        D("d1", new Choice("b", 2, 4, 40, 500, "B"), new Choice("c", 3, 6, 30, 200, "C")),
        D("d2", new Choice("n", 0, 2, 20, 100, null), new Choice("c", 1, 1, 25, 150, "C")),
        D("d3", new Choice("d", 0, 1, 1, 1, "D")),
    ], budgets, new Dictionary<string, long> { ["A"] = 10, ["B"] = 15, ["C"] = 10, ["D"] = 5 }, 100, 1_000, 10_000, 100);

    [Fact]
    public void TheSmallestValueOfEachResourceIsItsCheapestChoicesPlusTheFixedPart()
    {
        var problem = Featured(new Budgets());
        Assert.Equal(100 + 3 + 4 + 1 + 1, Infeasibility.Smallest(problem, Resource.Latency));
        Assert.Equal(1_000 + 50 + 30 + 20 + 1, Infeasibility.Smallest(problem, Resource.Energy));
        Assert.Equal(10_000 + 300 + 200 + 100 + 1, Infeasibility.Smallest(problem, Resource.Memory));
        // Covering sets: {B, D} = 100 + 15 + 5 is the cheapest; {A, C, D} costs 125, all four 140.
        Assert.Equal(120, Infeasibility.Smallest(problem, Resource.Area));
    }

    [Fact]
    public void DiagnosisNamesEveryBudgetBelowItsSmallestValueAndNoneAtIt()
    {
        var below = Infeasibility.Diagnose(Featured(new Budgets(108, 1_100, 10_600, 119)));
        Assert.Equal(
        [
            new InfeasibleBudget(Resource.Latency, 109, 108), new InfeasibleBudget(Resource.Energy, 1_101, 1_100),
            new InfeasibleBudget(Resource.Memory, 10_601, 10_600), new InfeasibleBudget(Resource.Area, 120, 119),
        ], below);
        Assert.Empty(Infeasibility.Diagnose(Featured(new Budgets(109, 1_101, 10_601, 120))));
        Assert.Empty(Infeasibility.Diagnose(Featured(new Budgets())));
        // At the smallest values each budget alone is met, yet together they conflict: the solvers say infeasible.
        Assert.Equal(AllocationStatus.Infeasible, new ScipAllocationSolver().Solve(Featured(new Budgets(109, 1_101, 10_601, 120)), Limit).Status);
    }

    [Fact]
    public void TheAreaSearchIsExhaustiveOverAtMostTwentyFeatures()
    {
        static AllocationProblem Many(int features) => Program(
            [D("d0", [.. Enumerable.Range(0, features).Select(i => new Choice($"t{i}", 0, 1, 1, 1, $"f{i:D2}"))])],
            areas: Enumerable.Range(0, features).ToDictionary(i => $"f{i:D2}", i => 100L - i), baseArea: 1_000);
        Assert.Equal(1_000 + 100 - 19, Infeasibility.Smallest(Many(20), Resource.Area));
        var error = Assert.Throws<InvalidOperationException>(() => Infeasibility.Smallest(Many(21), Resource.Area));
        Assert.Equal("too many features to search exhaustively", error.Message);
    }

    /// <summary>Answers each solve with the next scripted result and records the latency budgets it was given.</summary>
    private sealed class Scripted(params AllocationResult[] results) : IAllocationSolver
    {
        private int next;

        public List<long?> Budgets { get; } = [];

        public string Name => "scripted";

        public AllocationResult Solve(AllocationProblem problem, TimeSpan timeLimit)
        {
            Budgets.Add(problem.Budgets.LatencyCycles);
            return results[next++];
        }
    }

    private static AllocationResult Plan(int pick, long latency, double sensitivity) =>
        new("scripted", AllocationStatus.Optimal, [pick], new PlanTotals(sensitivity, latency, 0, 0, 0), sensitivity, TimeSpan.Zero);

    [Fact]
    public void TheSweepSpreadsItsBudgetsEvenlyAndKeepsTheUndominatedPlansOnce()
    {
        var problem = Program([D("d0", new Choice("a", 0, 10, 1, 1, null), new Choice("b", 0, 70, 1, 1, null))], new Budgets(EnergyPicoJoules: 99));
        var none = new AllocationResult("scripted", AllocationStatus.Infeasible, [], null, double.NaN, TimeSpan.Zero);
        var solver = new Scripted(
            Plan(0, 10, 5),
            none,
            Plan(1, 20, 5), // dominated: same sensitivity as the first, later
            Plan(2, 30, 2), // dominated: same latency as the next, more sensitive
            Plan(3, 30, 1),
            Plan(3, 30, 1)); // the same plan again
        var frontier = ParetoSweep.Run(problem, solver, 6, Limit, widestLatencyCycles: 60);
        // From the smallest latency (10) to the widest plan's (60) in 5 equal steps; the other budgets stay.
        Assert.Equal([10L, 20, 30, 40, 50, 60], solver.Budgets);
        Assert.Equal([(10L, 0), (50L, 3)], frontier.Select(p => (p.LatencyBudgetCycles, p.Result.Picks[0])));
    }

    [Fact]
    public void ASweepNeedsTwoPoints()
    {
        var problem = Program([D("d0", new Choice("a", 0, 10, 1, 1, null))]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ParetoSweep.Run(problem, new Scripted(), 1, Limit, 10));
        Assert.StartsWith("a sweep needs at least 2 points", error.Message);
        var two = new Scripted(Plan(0, 10, 1), Plan(0, 10, 1));
        Assert.Single(ParetoSweep.Run(problem, two, 2, Limit, 30));
        Assert.Equal([10L, 30], two.Budgets);
    }

    [Fact]
    public void WeightBitsCountCodesAndEveryStartedGroup()
    {
        var grouped = new StorageFormat("g", 4, 128, 16);
        Assert.Equal(1_000 * 4 + 8 * 16, ProblemBuilder.WeightBits(grouped, 1_000));
        Assert.Equal(1_024 * 4 + 8 * 16, ProblemBuilder.WeightBits(grouped, 1_024));
        Assert.Equal(1_025 * 4 + 9 * 16, ProblemBuilder.WeightBits(grouped, 1_025));
        Assert.Equal(1_000 * 8, ProblemBuilder.WeightBits(new StorageFormat("p", 8), 1_000));
        Assert.Throws<OverflowException>(() => ProblemBuilder.WeightBits(new StorageFormat("p", 8), long.MaxValue / 4));
    }
}
