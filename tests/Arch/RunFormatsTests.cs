using HwSim.Arch.Fast;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

public class RunFormatsTests
{
    private static readonly Workload Opt = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 32, 3));
    private static readonly AcceleratorSpec BitmodGen = Presets.Find("bitmod-gen")!;

    private static TraceOp Op(Phase phase, int layer, string name) => Opt.AllOps.First(o => o.Phase == phase && o.Layer == layer && o.LocalName == name);

    [Fact]
    public void EachPhaseRunsItsOwnDatatype()
    {
        var formats = RunFormats.Default(BitmodGen);
        Assert.Equal("bitmod4", formats.WeightsFor(Op(Phase.Prefill, 3, "fc1")).Name);
        Assert.Equal("bitmod3", formats.WeightsFor(Op(Phase.Decode, 3, "fc1")).Name);
        Assert.Equal(4.0625, formats.WeightBytesFor(Op(Phase.Prefill, 3, "fc1")).EffectiveBits);
        Assert.Equal(3.0625, formats.WeightBytesFor(Op(Phase.Decode, 3, "fc1")).EffectiveBits);
        Assert.False(formats.SamePhases);
        // An op outside the LLM phases (a SCALE-Sim layer) runs the prefill weights.
        Assert.Same(formats.Prefill, formats.In(Phase.Standalone));
    }

    [Fact]
    public void GivenWeightsReplaceTheDescriptionsPerPhase()
    {
        var both = RunFormats.Default(BitmodGen, "int8");
        Assert.Equal(("int8", "int8"), (both.Prefill.Datatype.Name, both.Decode.Datatype.Name));
        Assert.True(both.SamePhases);
        var split = RunFormats.Default(BitmodGen, "int6", "int4");
        Assert.Equal(("int6", "int4"), (split.Prefill.Datatype.Name, split.Decode.Datatype.Name));
        var error = Assert.Throws<ArgumentException>(() => RunFormats.Default(BitmodGen, "bitmod4", "ovp4"));
        Assert.StartsWith("weights: 'ovp4' is not a weight type bitmod-gen's PE supports", error.Message);
    }

    [Fact]
    public void APlanEntryAppliesToThePhasesItCovers()
    {
        var plan = new PrecisionPlan("opt-1.3b", "bitmod-gen",
        [
            new(0, "q_proj", "int8", Phase.Decode),
            new(1, "fc1", "int6"),
            new(2, "fc2", "int4", Phase.Prefill),
        ]);
        var formats = RunFormats.FromPlan(BitmodGen, plan);
        Assert.Equal("bitmod4", formats.WeightsFor(Op(Phase.Prefill, 0, "q_proj")).Name);
        Assert.Equal("int8", formats.WeightsFor(Op(Phase.Decode, 0, "q_proj")).Name);
        Assert.Equal("int6", formats.WeightsFor(Op(Phase.Prefill, 1, "fc1")).Name);
        Assert.Equal("int6", formats.WeightsFor(Op(Phase.Decode, 1, "fc1")).Name);
        Assert.Equal("int4", formats.WeightsFor(Op(Phase.Prefill, 2, "fc2")).Name);
        Assert.Equal("bitmod3", formats.WeightsFor(Op(Phase.Decode, 2, "fc2")).Name);
        Assert.Equal(8, formats.WeightBytesFor(Op(Phase.Decode, 0, "q_proj")).EffectiveBits);
    }

    [Fact]
    public void GenerativeBitmodDecodesExactlyAsARunOfItsDecodeDatatype()
    {
        // Prefill and decode are separate phases of one tile stream: the per-phase run's prefill equals the
        // all-bitmod4 run's, and its decode the all-bitmod3 run's, cycle for cycle.
        var perPhase = FastSimulator.Run(BitmodGen, Opt, RunFormats.Default(BitmodGen));
        var four = FastSimulator.Run(BitmodGen, Opt, RunFormats.Default(BitmodGen, "bitmod4"));
        var three = FastSimulator.Run(BitmodGen, Opt, RunFormats.Default(BitmodGen, "bitmod3"));
        Assert.Equal(four.PrefillCycles, perPhase.PrefillCycles);
        Assert.Equal(three.DecodeCycles, perPhase.DecodeCycles);
        Assert.Equal(three.Ops.Where(o => o.Op.Phase == Phase.Decode).Select(o => o.DramReadBytes),
            perPhase.Ops.Where(o => o.Op.Phase == Phase.Decode).Select(o => o.DramReadBytes));
        // Decode is weight-bound: 3.0625-bit weights take fewer cycles than 4.0625-bit ones.
        Assert.True(three.DecodeCycles < four.DecodeCycles);
    }
}
