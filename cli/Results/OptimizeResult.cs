using HwSim.Arch.Fast;
using HwSim.Arch.Plans;
using HwSim.CostModels.Allocation;

namespace HwSim.Cli.Results;

/// <summary>
/// `hwsim optimize --format json` (schema docs/schemas/optimize.schema.json): the chosen plan, its totals against
/// each budget (exact integers: cycles, pJ, bits, µm²), the solve, the simulated latency of the plan, and the Pareto
/// frontier over the latency budget.
/// </summary>
public sealed record OptimizeResult(
    string Workload,
    string Design,
    string Granularity,
    IReadOnlyList<string> Candidates,
    string Widest,
    int Decisions,
    string PlanFile,
    IReadOnlyDictionary<string, int> Mix,
    IReadOnlyList<PlanEntry> Plan,
    IReadOnlyList<OptimizeTotal> Totals,
    OptimizeSensitivity Sensitivity,
    OptimizeSimulated Simulated,
    OptimizeSolve Solve,
    IReadOnlyList<OptimizeFrontierPoint> Frontier)
    : ICommandResult<OptimizeResult>
{
    public static string Schema => "optimize";
    public static int SchemaVersion => 1;

    public static OptimizeResult Of(AllocationSetup setup, AllocationProblem problem, AllocationResult result, PlanTotals widest, PrecisionPlan plan,
        string planFile, RunResult simulated, IReadOnlyList<ParetoPoint> frontier, IReadOnlyList<string> candidates, string granularity)
    {
        var totals = result.Totals!;
        var b = problem.Budgets;
        OptimizeTotal Total(Resource r, string unit, long value, long? budget, long all) => new(r.ToString().ToLowerInvariant(), unit, value, budget, all, Infeasibility.Smallest(problem, r));
        return new OptimizeResult(simulated.Workload.Name, setup.Spec.Name, granularity, candidates, setup.Widest, problem.Decisions.Count, planFile,
            MixOf(problem, result),
            plan.Entries,
            [
                Total(Resource.Latency, "cycles", totals.LatencyCycles, b.LatencyCycles, widest.LatencyCycles),
                Total(Resource.Energy, "pJ", totals.EnergyPicoJoules, b.EnergyPicoJoules, widest.EnergyPicoJoules),
                Total(Resource.Memory, "bits", totals.WeightBits, b.WeightBits, widest.WeightBits),
                Total(Resource.Area, "um2", totals.AreaUm2, b.AreaUm2, widest.AreaUm2),
            ],
            new OptimizeSensitivity(totals.Sensitivity, widest.Sensitivity),
            new OptimizeSimulated(simulated.TotalCycles, simulated.Milliseconds(simulated.TotalCycles),
                (simulated.TotalCycles - totals.LatencyCycles) / (double)totals.LatencyCycles),
            new OptimizeSolve(result.Backend, result.Status.ToString().ToLowerInvariant(), result.SolveTime.TotalMilliseconds, result.Gap),
            [.. frontier.OrderBy(p => p.Result.Totals!.LatencyCycles).Select(p => new OptimizeFrontierPoint(p.LatencyBudgetCycles,
                p.Result.Totals!.LatencyCycles, p.Result.Totals.EnergyPicoJoules, p.Result.Totals.WeightBits, p.Result.Totals.AreaUm2,
                p.Result.Totals.Sensitivity, MixOf(problem, p.Result)))]);
    }

    /// <summary>How many decisions chose each datatype, by name.</summary>
    public static SortedDictionary<string, int> MixOf(AllocationProblem problem, AllocationResult result) =>
        new(problem.Decisions.Select((d, i) => d.Choices[result.Picks[i]].Datatype).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count()),
            StringComparer.Ordinal);

    /// <summary>The CSV form: the plan's totals (kind "plan") and each frontier point (kind "frontier").</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
        ["kind", "latency_budget_cycles", "latency_cycles", "energy_pj", "weight_bits", "area_um2", "sensitivity", "mix"];

    public IEnumerable<IReadOnlyList<object?>> CsvRows()
    {
        long Value(string resource) => Totals.First(t => t.Resource == resource).Plan;
        yield return ["plan", Totals[0].Budget, Value("latency"), Value("energy"), Value("memory"), Value("area"), Sensitivity.Plan, MixText(Mix)];
        foreach (var p in Frontier)
            yield return ["frontier", p.LatencyBudgetCycles, p.LatencyCycles, p.EnergyPicoJoules, p.WeightBits, p.AreaUm2, p.Sensitivity, MixText(p.Mix)];
    }

    private static string MixText(IReadOnlyDictionary<string, int> mix) => string.Join(" ", mix.Select(p => $"{p.Key}:{p.Value}"));
}

/// <summary>One resource: the plan's amount, the budget (null: none), the all-widest plan's and the smallest achievable, in <see cref="Unit"/>.</summary>
public sealed record OptimizeTotal(string Resource, string Unit, long Plan, long? Budget, long AllWidest, long SmallestAchievable);

public sealed record OptimizeSensitivity(double Plan, double AllWidest);

/// <summary>The plan simulated: cycles, ms, and the relative error of the program's additive latency estimate.</summary>
public sealed record OptimizeSimulated(long Cycles, double Milliseconds, double EstimateError);

public sealed record OptimizeSolve(string Backend, string Status, double SolveMilliseconds, double Gap);

public sealed record OptimizeFrontierPoint(long LatencyBudgetCycles, long LatencyCycles, long EnergyPicoJoules, long WeightBits, long AreaUm2,
    double Sensitivity, IReadOnlyDictionary<string, int> Mix);
