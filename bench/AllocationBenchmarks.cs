using BenchmarkDotNet.Attributes;
using HwSim.Arch.Spec;
using HwSim.CostModels;
using HwSim.CostModels.Allocation;
using HwSim.CostModels.Sensitivity;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Bench;

/// <summary>
/// Target: LLaMA-2-70B (80 layers × 7 linear ops + lm_head) × 6 candidate datatypes with latency and area budgets,
/// solved to proven optimality with SCIP in under 2 s. The program is built once by the real pipeline (simulator
/// latencies and energies, synthetic-weight sensitivities, area model) on the BitMoD design; "varied" multiplies each
/// op's sensitivities by a seeded log-normal importance (σ = 0.5), as a per-layer Hessian-trace file would, so no
/// two layers are identical and the solvers get no symmetry to fold.
/// </summary>
[MedianColumn]
public class AllocationBenchmarks
{
    private static readonly string[] Candidates = ["int4", "int6", "int8", "bitmod3", "bitmod4", "ovp4"];

    private AllocationProblem identical = null!;
    private AllocationProblem varied = null!;

    [GlobalSetup]
    public void Build()
    {
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("llama-2-70b"), 1, 256, 16));
        var request = new OptimizeRequest(Presets.Find("bitmod")!, workload, Candidates, Granularity.Op,
            new CostModelOptions().Lookup(), new SensitivityOptions(SampleRows: 32), AreaBudgeted: true);
        var setup = ProblemBuilder.Build(request);
        var widest = setup.Problem.Totals(setup.Problem.Uniform(setup.Widest));
        var budgets = new Budgets(LatencyCycles: widest.LatencyCycles * 8 / 10, AreaUm2: (long)setup.DesignAreaUm2);
        identical = setup.Problem with { Budgets = budgets };
        var random = new Random(7);
        varied = identical with
        {
            Decisions = [.. identical.Decisions.Select(d =>
            {
                double importance = Math.Exp(0.5 * Gaussian(random));
                return d with { Choices = [.. d.Choices.Select(c => c with { Sensitivity = c.Sensitivity * importance })] };
            })],
        };
        foreach (var problem in new[] { identical, varied })
            if (new ScipAllocationSolver().Solve(problem, TimeSpan.FromMinutes(5)).Status != AllocationStatus.Optimal)
                throw new InvalidOperationException("the benchmark program is not solved to optimality");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Benchmark(Description = "LLaMA-2-70B 561 ops x 6 candidates, latency + area, SCIP, identical layers")]
    public double ScipIdentical() => new ScipAllocationSolver().Solve(identical, TimeSpan.FromMinutes(5)).Totals!.Sensitivity;

    [Benchmark(Description = "LLaMA-2-70B 561 ops x 6 candidates, latency + area, SCIP, varied importance")]
    public double ScipVaried() => new ScipAllocationSolver().Solve(varied, TimeSpan.FromMinutes(5)).Totals!.Sensitivity;

    [Benchmark(Description = "LLaMA-2-70B 561 ops x 6 candidates, latency + area, CP-SAT (2 workers), varied importance")]
    public double CpSatVaried() => new CpSatAllocationSolver().Solve(varied, TimeSpan.FromMinutes(5)).Totals!.Sensitivity;
}
