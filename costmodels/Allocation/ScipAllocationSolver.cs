using System.Diagnostics;
using Google.OrTools.LinearSolver;

namespace HwSim.CostModels.Allocation;

/// <summary>
/// The program as a MIP for SCIP (OR-Tools linear solver). Each class of identical decisions
/// (<see cref="AllocationProblem.Classes"/>) of size k gets integers n[c] ∈ [0, k] with Σc n[c] = k (binaries when
/// k = 1); feature binaries s[f] satisfy n[c] ≤ k·s[f] for every choice needing f; one row per active budget;
/// minimize Σ sensitivity·n. The objective is divided by its largest coefficient for numerical conditioning (the
/// reported totals are recomputed exactly from the picks); the relative MIP gap is set to 0 so that "optimal"
/// means proven optimal.
/// </summary>
public sealed class ScipAllocationSolver : IAllocationSolver
{
    public string Name => "SCIP";

    public AllocationResult Solve(AllocationProblem problem, TimeSpan timeLimit)
    {
        if (problem.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(problem));
        var clock = Stopwatch.StartNew();
        using var solver = Solver.CreateSolver("SCIP") ?? throw new InvalidOperationException("OR-Tools was built without SCIP");
        solver.SetTimeLimit((long)timeLimit.TotalMilliseconds);
        double scale = ObjectiveScale.Largest(problem);
        var classes = problem.Classes();
        var n = classes.Select((members, k) => problem.Decisions[members[0]].Choices
            .Select((_, c) => solver.MakeIntVar(0, members.Count, $"n_{k}_{c}")).ToArray()).ToArray();
        var features = problem.Features.ToDictionary(f => f, f => solver.MakeBoolVar($"s_{f}"));
        var objective = solver.Objective();
        objective.SetMinimization();
        var budgets = problem.Budgets;
        var latency = budgets.LatencyCycles is { } l ? solver.MakeConstraint(double.NegativeInfinity, l - problem.FixedLatencyCycles, "latency") : null;
        var energy = budgets.EnergyPicoJoules is { } e ? solver.MakeConstraint(double.NegativeInfinity, e - problem.FixedEnergyPicoJoules, "energy") : null;
        var memory = budgets.WeightBits is { } m ? solver.MakeConstraint(double.NegativeInfinity, m - problem.FixedWeightBits, "memory") : null;
        var area = budgets.AreaUm2 is { } a ? solver.MakeConstraint(double.NegativeInfinity, a - problem.BaseAreaUm2, "area") : null;
        for (int k = 0; k < n.Length; k++)
        {
            int size = classes[k].Count;
            var all = solver.MakeConstraint(size, size, $"count_{k}");
            for (int c = 0; c < n[k].Length; c++)
            {
                var choice = problem.Decisions[classes[k][0]].Choices[c];
                all.SetCoefficient(n[k][c], 1);
                objective.SetCoefficient(n[k][c], choice.Sensitivity / scale);
                latency?.SetCoefficient(n[k][c], choice.LatencyCycles);
                energy?.SetCoefficient(n[k][c], choice.EnergyPicoJoules);
                memory?.SetCoefficient(n[k][c], choice.WeightBits);
                if (choice.Feature is { } f)
                {
                    var link = solver.MakeConstraint(double.NegativeInfinity, 0);
                    link.SetCoefficient(n[k][c], 1);
                    link.SetCoefficient(features[f], -size);
                }
            }
        }
        foreach (var (feature, variable) in features) area?.SetCoefficient(variable, problem.FeatureAreaUm2[feature]);

        using var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0);
        var status = solver.Solve(parameters);
        clock.Stop();
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            var kind = status == Solver.ResultStatus.INFEASIBLE ? AllocationStatus.Infeasible : AllocationStatus.NoSolution;
            return new AllocationResult(Name, kind, [], null, double.NaN, clock.Elapsed);
        }
        var picks = problem.Picks(classes, [.. n.Select(row => row.Select(v => (long)Math.Round(v.SolutionValue())).ToArray())]);
        var totals = problem.Totals(picks);
        double bound = status == Solver.ResultStatus.OPTIMAL ? totals.Sensitivity : objective.BestBound() * scale;
        return new AllocationResult(Name, status == Solver.ResultStatus.OPTIMAL ? AllocationStatus.Optimal : AllocationStatus.Feasible,
            picks, totals, bound, clock.Elapsed);
    }
}
