using HwSim.Arch.Plans;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch.Plans;

/// <summary>
/// A plan checked against workloads at the edges of what the validator lists: a SCALE-Sim topology (no model, so
/// the workload's own name, and no op a plan may name) and a one-layer model (layer 0 is both the first and the last).
/// </summary>
public class PlanWorkloadEdgeTests
{
    private static PrecisionPlan Plan(string model, int layer, string op) => new(model, "bitmod", [new PlanEntry(layer, op, "int8")]);

    [Fact]
    public void ATopologyWorkloadIsNamedByItsFileAndHasNothingToPlan()
    {
        var topology = ScaleSimTopology.Read(new StringReader("Layer,M,N,K,\ngemm1,64,32,16,\n"), "convs.csv");
        Assert.Null(topology.Model);
        Assert.Equal("model: the plan is for 'opt-1.3b', the workload is 'convs'", PlanWorkloadValidator.Validate(Plan("opt-1.3b", 0, "q_proj"), topology));
        // Its GEMM has weights but is not a linear layer of a model: no layer exists, the range shown is empty.
        Assert.False(PlanWorkloadValidator.IsPlannable(topology.AllOps.Single()));
        Assert.Equal("entries[0].layer: convs has no layer -1 (layers 0 .. -1, -1 for ops outside them)",
            PlanWorkloadValidator.Validate(Plan("convs", -1, "gemm1"), topology));
    }

    [Fact]
    public void AOneLayerModelListsLayerZeroAsItsLast()
    {
        var model = ModelZoo.Get("opt-1.3b") with { Layers = 1 };
        var workload = LlmTracer.Trace(new TraceRequest(model, 1, 4, 1));
        Assert.Equal("entries[0].layer: opt-1.3b has no layer 1 (layers 0 .. 0, -1 for ops outside them)",
            PlanWorkloadValidator.Validate(Plan("opt-1.3b", 1, "fc1"), workload));
        Assert.Null(PlanWorkloadValidator.Validate(Plan("opt-1.3b", 0, "fc1"), workload));
        // Prefill and decode trace every op; each is listed once.
        Assert.Equal("entries[0].op: layer 0 of opt-1.3b has no linear op 'gate_proj' (q_proj, k_proj, v_proj, o_proj, fc1, fc2)",
            PlanWorkloadValidator.Validate(Plan("opt-1.3b", 0, "gate_proj"), workload));
    }
}
