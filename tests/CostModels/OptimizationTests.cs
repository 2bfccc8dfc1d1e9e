using HwSim.Arch.Fast;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.CostModels;
using HwSim.CostModels.Allocation;
using HwSim.CostModels.Sensitivity;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.CostModels;

/// <summary>The program built from the simulator, cost models and numerics, end to end on a small LLaMA run.</summary>
public sealed class OptimizationTests
{
    private static readonly Workload Llama = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("llama-2-7b"), 1, 32, 2));
    // Per test, not static: a cached problem would hide mutants of ProblemBuilder from mutation testing, which switches
    // mutants inside one test process (tests/MUTATION.md).
    private readonly Lazy<AllocationSetup> Setup = new(() => ProblemBuilder.Build(Request(["bitmod3", "bitmod4", "int8"])));

    private static OptimizeRequest Request(string[] candidates, bool area = false, string? importance = null) =>
        new(Presets.Find("bitmod")!, Llama, candidates, Granularity.Op, new CostModelOptions().Lookup(),
            new SensitivityOptions(SampleRows: 8, ImportancePath: importance), area);

    [Fact]
    public void TheAllWidestPlanPredictsItsSimulatedLatencyExactly()
    {
        var setup = Setup.Value;
        Assert.Equal("int8", setup.Widest);
        Assert.Equal(32 * 7 + 1, setup.Problem.Decisions.Count);
        Assert.Equal(setup.WidestRun.Run.TotalCycles, setup.Problem.Totals(setup.Problem.Uniform("int8")).LatencyCycles);
        foreach (var run in setup.Runs)
        {
            // Other uniform plans: the additive model against the simulation of that plan.
            long predicted = setup.Problem.Totals(setup.Problem.Uniform(run.Datatype)).LatencyCycles;
            Assert.InRange((double)predicted / run.Run.TotalCycles, 0.999, 1.001);
        }
    }

    [Fact]
    public void APlanOfEveryLinearOpAtTheDefaultRunsLikeTheDefault()
    {
        var spec = Presets.Find("bitmod")!;
        var ops = Llama.Prefill.Where(o => o.Kind == OpKind.Linear).Select(o => new PlanEntry(o.Layer, o.LocalName, "bitmod4"));
        var planned = FastSimulator.Run(spec, Llama, RunFormats.FromPlan(spec, new PrecisionPlan("llama-2-7b", "bitmod", [.. ops])));
        var uniform = FastSimulator.Run(spec, Llama, RunFormats.Default(spec));
        Assert.Equal(uniform.TotalCycles, planned.TotalCycles);
        Assert.Equal(uniform.Sum(o => o.DramReadBytes), planned.Sum(o => o.DramReadBytes));
    }

    [Fact]
    public void SensitivityFallsWithBits()
    {
        var problem = Setup.Value.Problem;
        foreach (var decision in problem.Decisions)
        {
            double Of(string t) => decision.Choices.Single(c => c.Datatype == t).Sensitivity;
            Assert.True(Of("int8") < Of("bitmod4") && Of("bitmod4") < Of("bitmod3"), decision.Name);
        }
    }

    [Fact]
    public void AnImportanceFileScalesItsLayers()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "layer,op,importance\n3,q_proj,10\n5,*,0\n");
            var weighted = SensitivityTable.Measure([new(3, "q_proj", 64, 256), new(4, "q_proj", 64, 256), new(5, "k_proj", 64, 256)], ["int4"],
                new SensitivityOptions(SampleRows: 8, ImportancePath: path));
            Assert.Equal(10 * weighted.Of(4, "q_proj", "int4"), weighted.Of(3, "q_proj", "int4"), 1e-9);
            Assert.Equal(0, weighted.Of(5, "k_proj", "int4"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ScipAndCpSatAgreeWithinTheStatedScaling()
    {
        var problem = Setup.Value.Problem;
        long widest = problem.Totals(problem.Uniform("int8")).LatencyCycles;
        var constrained = problem with { Budgets = new Budgets(LatencyCycles: widest * 8 / 10) };
        var scip = new ScipAllocationSolver().Solve(constrained, TimeSpan.FromSeconds(60));
        var cpSat = new CpSatAllocationSolver().Solve(constrained, TimeSpan.FromSeconds(60));
        Assert.Equal(AllocationStatus.Optimal, scip.Status);
        Assert.Equal(AllocationStatus.Optimal, cpSat.Status);
        Assert.InRange(cpSat.Totals!.Sensitivity - scip.Totals!.Sensitivity, -1e-9 * scip.Totals.Sensitivity, CpSatAllocationSolver.ScalingError(constrained));
        Assert.True(scip.Totals.LatencyCycles <= widest * 8 / 10);
    }

    [Fact]
    public void TheParetoFrontierTradesLatencyForSensitivity()
    {
        var problem = Setup.Value.Problem;
        long widest = problem.Totals(problem.Uniform("int8")).LatencyCycles;
        var frontier = ParetoSweep.Run(problem, new ScipAllocationSolver(), 6, TimeSpan.FromSeconds(60), widest)
            .OrderBy(p => p.Result.Totals!.LatencyCycles).ToList();
        Assert.True(frontier.Count >= 3);
        for (int i = 1; i < frontier.Count; i++)
            Assert.True(frontier[i].Result.Totals!.Sensitivity < frontier[i - 1].Result.Totals!.Sensitivity);
    }

    [Fact]
    public void AnAreaBudgetMakesNewDatatypesPayForTheirDecoders()
    {
        var setup = ProblemBuilder.Build(Request(["bitmod4", "int8", "ovp4"], area: true));
        Assert.Contains("ovp", setup.Problem.FeatureAreaUm2.Keys);
        Assert.True(setup.Problem.FeatureAreaUm2["ovp"] > 0);
        // ovp4 is not in the BitMoD PE's list: the design was extended to run it.
        Assert.Contains("ovp4", setup.Spec.Pe.WeightTypes);
        var tight = setup.Problem with { Budgets = new Budgets(AreaUm2: setup.Problem.BaseAreaUm2 + setup.Problem.FeatureAreaUm2["bitmod-dequant"]) };
        var result = new ScipAllocationSolver().Solve(tight, TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(result.Picks.Select((p, i) => tight.Decisions[i].Choices[p].Datatype), t => t == "ovp4");
    }

    [Fact]
    public void TiedOpsShareADecisionInEveryLayer()
    {
        var setup = ProblemBuilder.Build(Request(["bitmod4", "int8"]) with { Ties = [["q_proj", "k_proj", "v_proj"], ["gate_proj", "up_proj"]] });
        Assert.Equal(32 * 4 + 1, setup.Problem.Decisions.Count);
        var qkv = setup.Problem.Decisions.Single(d => d.Name == "layers.3.q_proj+k_proj+v_proj");
        Assert.Equal([(3, "q_proj"), (3, "k_proj"), (3, "v_proj")], qkv.Members);
        // A tied decision costs the sum of its members.
        var single = Setup.Value.Problem.Decisions.Where(d => d.Members[0].Layer == 3 && d.Members[0].Op is "q_proj" or "k_proj" or "v_proj").ToList();
        Assert.Equal(single.Sum(d => d.Choices.Single(c => c.Datatype == "int8").WeightBits), qkv.Choices.Single(c => c.Datatype == "int8").WeightBits);
        var e = Assert.Throws<InvalidDataException>(() => ProblemBuilder.Build(Request(["int8"]) with { Ties = [["q_proj", "fc1"]] }));
        Assert.StartsWith("tie: 'fc1' is not a linear op of this model", e.Message);
    }

    [Fact]
    public void ACandidateThePeKindCannotRunIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => ProblemBuilder.Build(Request(["bitmod4", "fp16"])));
        Assert.StartsWith("candidates: bitmod cannot run them: pe.weightTypes[", e.Message);
    }
}
