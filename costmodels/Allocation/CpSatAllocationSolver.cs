using System.Diagnostics;
using Google.OrTools.Sat;

namespace HwSim.CostModels.Allocation;

/// <summary>
/// The program for CP-SAT, which takes integer coefficients only. Latency (cycles), energy (pJ), memory (bits) and
/// area (µm²) are already integers in the program, so the budgets are exact. The objective is scaled so that its
/// largest coefficient becomes <see cref="ObjectiveUnits"/> and rounded: each coefficient moves by at most half a
/// unit, so a plan's scaled objective is within n/2 units of its true value (n decisions) and CP-SAT's optimum is
/// within n units, i.e. n / <see cref="ObjectiveUnits"/> of the largest coefficient, of the true optimum.
/// </summary>
public sealed class CpSatAllocationSolver(int workers = 2) : IAllocationSolver
{
    public const long ObjectiveUnits = 1_000_000;

    public string Name => "CP-SAT";

    /// <summary>The most the CP-SAT optimum can exceed the true optimum for <paramref name="problem"/>.</summary>
    public static double ScalingError(AllocationProblem problem) =>
        problem.Decisions.Count * ObjectiveScale.Largest(problem) / ObjectiveUnits;

    public AllocationResult Solve(AllocationProblem problem, TimeSpan timeLimit)
    {
        if (problem.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(problem));
        var clock = Stopwatch.StartNew();
        double scale = ObjectiveScale.Largest(problem);
        var model = new CpModel();
        // Identical decisions share integer counts per choice, as in the SCIP model.
        var classes = problem.Classes();
        var n = classes.Select((members, k) => problem.Decisions[members[0]].Choices
            .Select((_, c) => model.NewIntVar(0, members.Count, $"n_{k}_{c}")).ToArray()).ToArray();
        var features = problem.Features.ToDictionary(f => f, f => model.NewBoolVar($"s_{f}"));
        var objective = new List<(LinearExpr, long)>();
        var latency = new List<(LinearExpr, long)>();
        var energy = new List<(LinearExpr, long)>();
        var memory = new List<(LinearExpr, long)>();
        for (int k = 0; k < n.Length; k++)
        {
            int size = classes[k].Count;
            model.Add(LinearExpr.Sum(n[k]) == size);
            for (int c = 0; c < n[k].Length; c++)
            {
                var choice = problem.Decisions[classes[k][0]].Choices[c];
                objective.Add((n[k][c], (long)Math.Round(choice.Sensitivity / scale * ObjectiveUnits)));
                latency.Add((n[k][c], choice.LatencyCycles));
                energy.Add((n[k][c], choice.EnergyPicoJoules));
                memory.Add((n[k][c], choice.WeightBits));
                if (choice.Feature is { } f) model.Add(n[k][c] <= size * (LinearExpr)features[f]);
            }
        }
        var budgets = problem.Budgets;
        if (budgets.LatencyCycles is { } l) model.Add(Sum(latency) <= l - problem.FixedLatencyCycles);
        if (budgets.EnergyPicoJoules is { } e) model.Add(Sum(energy) <= e - problem.FixedEnergyPicoJoules);
        if (budgets.WeightBits is { } m) model.Add(Sum(memory) <= m - problem.FixedWeightBits);
        if (budgets.AreaUm2 is { } a)
            model.Add(Sum([.. features.Select(p => ((LinearExpr)p.Value, problem.FeatureAreaUm2[p.Key]))]) <= a - problem.BaseAreaUm2);
        model.Minimize(Sum(objective));

        var solver = new CpSolver
        {
            StringParameters = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{timeLimit.TotalSeconds} num_workers:{workers} random_seed:1"),
        };
        var status = solver.Solve(model);
        clock.Stop();
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            var kind = status == CpSolverStatus.Infeasible ? AllocationStatus.Infeasible : AllocationStatus.NoSolution;
            return new AllocationResult(Name, kind, [], null, double.NaN, clock.Elapsed);
        }
        var picks = problem.Picks(classes, [.. n.Select(row => row.Select(v => solver.Value(v)).ToArray())]);
        var totals = problem.Totals(picks);
        // The proven bound is on the scaled objective; unscale it and widen it by the rounding (n/2 units).
        double bound = status == CpSolverStatus.Optimal ? totals.Sensitivity
            : (solver.BestObjectiveBound - problem.Decisions.Count / 2.0) * scale / ObjectiveUnits;
        return new AllocationResult(Name, status == CpSolverStatus.Optimal ? AllocationStatus.Optimal : AllocationStatus.Feasible,
            picks, totals, bound, clock.Elapsed);
    }

    private static LinearExpr Sum(List<(LinearExpr Term, long Coefficient)> terms) =>
        LinearExpr.WeightedSum(terms.Select(t => t.Term), terms.Select(t => t.Coefficient));
}
