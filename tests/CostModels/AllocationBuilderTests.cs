using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.CostModels;
using HwSim.CostModels.Allocation;
using HwSim.CostModels.Models;
using HwSim.CostModels.Sensitivity;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.CostModels;

/// <summary>
/// <see cref="ProblemBuilder"/> on a two-layer LLaMA-2-7B (fast enough to build per test): layer decisions against
/// the sums of their ops, the fixed parts against the whole runs, decision names, features, and the texts of bad
/// requests.
/// </summary>
public sealed class AllocationBuilderTests
{
    private static readonly Workload TwoLayers =
        LlmTracer.Trace(new TraceRequest(ModelZoo.Get("llama-2-7b") with { Layers = 2 }, 1, 16, 2));

    private static OptimizeRequest Request(string[] candidates, Granularity granularity = Granularity.Op, bool area = false) =>
        new(Presets.Find("bitmod")!, TwoLayers, candidates, granularity, new CostModelOptions().Lookup(),
            new SensitivityOptions(SampleRows: 4), area);

    [Fact]
    public void ALayerDecisionCostsTheSumOfItsOps()
    {
        string[] candidates = ["bitmod4", "int8"];
        var byOp = ProblemBuilder.Build(Request(candidates)).Problem;
        var byLayer = ProblemBuilder.Build(Request(candidates, Granularity.Layer)).Problem;
        Assert.Equal(["layers.0", "layers.1"], byLayer.Decisions.Where(d => d.Members[0].Layer >= 0).Select(d => d.Name));
        Assert.Equal(byOp.Decisions.Count, byLayer.Decisions.Sum(d => d.Members.Count));
        Assert.Equal((byOp.FixedLatencyCycles, byOp.FixedEnergyPicoJoules, byOp.FixedWeightBits),
            (byLayer.FixedLatencyCycles, byLayer.FixedEnergyPicoJoules, byLayer.FixedWeightBits));
        foreach (var layer in byLayer.Decisions)
        {
            var ops = byOp.Decisions.Where(d => layer.Members.Contains(d.Members[0])).ToList();
            Assert.Equal(layer.Members.Count, ops.Count);
            if (layer.Members[0].Layer < 0) Assert.Equal(string.Join("+", layer.Members.Select(m => m.Op)), layer.Name);
            else Assert.Equal(7, layer.Members.Count);
            for (int c = 0; c < candidates.Length; c++)
            {
                var choice = layer.Choices[c];
                Assert.Equal(candidates[c], choice.Datatype);
                Assert.Equal(ops.Sum(d => d.Choices[c].LatencyCycles), choice.LatencyCycles);
                Assert.Equal(ops.Sum(d => d.Choices[c].WeightBits), choice.WeightBits);
                Assert.Equal(ops.Sum(d => d.Choices[c].Sensitivity), choice.Sensitivity, 1e-9 * choice.Sensitivity);
                // Each op's energy is rounded to whole pJ on its own, the layer's once.
                Assert.InRange(choice.EnergyPicoJoules, ops.Sum(d => d.Choices[c].EnergyPicoJoules) - ops.Count, ops.Sum(d => d.Choices[c].EnergyPicoJoules) + ops.Count);
            }
        }
    }

    [Fact]
    public void UniformPlansReproduceTheirRunsEnergyAndTheWholeModelsWeights()
    {
        var setup = ProblemBuilder.Build(Request(["bitmod4", "int8"]));
        var problem = setup.Problem;
        Assert.Equal("int8", setup.Widest);
        // The all-widest plan: its run's energy up to the whole-pJ rounding of each decision and of the fixed part.
        var widest = problem.Totals(problem.Uniform("int8"));
        Assert.InRange(widest.EnergyPicoJoules, setup.WidestRun.Energy.TotalPicoJoules - problem.Decisions.Count - 1,
            setup.WidestRun.Energy.TotalPicoJoules + problem.Decisions.Count + 1);
        foreach (var run in setup.Runs)
        {
            var totals = problem.Totals(problem.Uniform(run.Datatype));
            Assert.InRange(totals.EnergyPicoJoules / run.Energy.TotalPicoJoules, 0.99, 1.01);
            // Every weight of the model, linear or not, at this datatype (the rest at the design's default).
            var storage = WeightDatatypes.Get(run.Datatype).Storage;
            var defaults = WeightDatatypes.Get(setup.Spec.DefaultWeights).Storage;
            long all = TwoLayers.Prefill.Sum(op => ProblemBuilder.WeightBits(PlanWorkloadValidator.IsPlannable(op) ? storage : defaults, op.WeightElements));
            Assert.Equal(all, totals.WeightBits);
        }
    }

    [Fact]
    public void DecisionsAreNamedByLayerAndOpAndOpsOutsideLayersByName()
    {
        var problem = ProblemBuilder.Build(Request(["int8"])).Problem;
        var names = problem.Decisions.Select(d => d.Name).ToList();
        Assert.Contains("layers.0.q_proj", names);
        Assert.Contains("layers.1.down_proj", names);
        var outside = Assert.Single(problem.Decisions, d => d.Members[0].Layer < 0);
        Assert.Equal(outside.Members[0].Op, outside.Name);
        // Without an area budget no choice needs a feature.
        Assert.All(problem.Decisions.SelectMany(d => d.Choices), c => Assert.Null(c.Feature));
    }

    [Fact]
    public void WithAnAreaBudgetEachChoiceNeedsItsDecoder()
    {
        var problem = ProblemBuilder.Build(Request(["bitmod4", "int8", "ovp4"], area: true)).Problem;
        Assert.All(problem.Decisions.SelectMany(d => d.Choices), c => Assert.Equal(AreaModel.DecoderFor(c.Datatype), c.Feature));
        Assert.Contains(problem.Decisions[0].Choices, c => c.Feature is not null);
    }

    [Fact]
    public void BadRequestsSayWhatIsWrong()
    {
        var spec = Presets.Find("bitmod")!;
        Assert.Equal("candidates: name at least one weight datatype", Assert.Throws<InvalidDataException>(() => ProblemBuilder.Extend(spec, [])).Message);
        var unknown = Assert.Throws<InvalidDataException>(() => ProblemBuilder.Extend(spec, ["int8", "nosuchtype"])).Message;
        // The registry's own reason, not the design validator's later complaint about the extended PE.
        Assert.False(WeightDatatypes.TryGet("nosuchtype", out _, out string? reason));
        Assert.Equal($"candidates: {reason}", unknown);
        var noLinear = TwoLayers with { Prefill = [.. TwoLayers.Prefill.Where(op => !PlanWorkloadValidator.IsPlannable(op))] };
        Assert.Equal($"{TwoLayers.Name}: no linear ops to allocate",
            Assert.Throws<InvalidDataException>(() => ProblemBuilder.Build(Request(["int8"]) with { Workload = noLinear })).Message);
        Assert.Equal("tie: 'q_proj' is in more than one group",
            Assert.Throws<InvalidDataException>(() => ProblemBuilder.Build(Request(["int8"]) with { Ties = [["q_proj", "k_proj"], ["q_proj"]] })).Message);
        var ops = string.Join(", ", TwoLayers.Prefill.Where(PlanWorkloadValidator.IsPlannable).Select(op => op.LocalName).Distinct());
        Assert.Equal($"tie: 'fc1' is not a linear op of this model ({ops})",
            Assert.Throws<InvalidDataException>(() => ProblemBuilder.Build(Request(["int8"]) with { Ties = [["fc1"]] })).Message);
    }
}
