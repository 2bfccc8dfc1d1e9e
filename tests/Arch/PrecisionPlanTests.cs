using HwSim.Arch.Plans;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

public class PrecisionPlanTests
{
    private static string Plan(string entries, string model = "opt-1.3b") => $$"""{"model": "{{model}}", "arch": "bitmod-gen", "entries": [{{entries}}]}""";

    [Fact]
    public void EntriesMayNameAPhase()
    {
        var plan = PrecisionPlanJson.Read(Plan("""
            {"layer": 0, "op": "q_proj", "weights": "bitmod4", "phase": "prefill"},
            {"layer": 0, "op": "q_proj", "weights": "bitmod3", "phase": "decode"},
            {"layer": 1, "op": "fc1", "weights": "int8"}
            """));
        Assert.Equal([Phase.Prefill, Phase.Decode, (Phase?)null], plan.Entries.Select(e => e.Phase));
        Assert.True(plan.IsPerPhase);
        Assert.True(plan.Entries[2].Covers(Phase.Prefill) && plan.Entries[2].Covers(Phase.Decode));
        Assert.False(plan.Entries[0].Covers(Phase.Decode));
        // Written back, an entry for both phases has no phase field; the plan reads back equal.
        string json = PrecisionPlanJson.Write(plan);
        Assert.Equal(2, json.Split("\"phase\"").Length - 1);
        Assert.Equal(plan.Entries, PrecisionPlanJson.Read(json).Entries);
    }

    [Theory]
    [InlineData("""{"layer": 0, "op": "q_proj", "weights": "int8", "phase": "standalone"}""", "entries[0].phase: must be prefill or decode, or absent for both (got standalone)")]
    [InlineData("""{"layer": 0, "op": "q_proj", "weights": "int8", "phase": "later"}""", "entries[0].phase: ")]
    [InlineData("""{"layer": 0, "op": "q_proj", "weights": "int8"}, {"layer": 0, "op": "q_proj", "weights": "int4", "phase": "decode"}""",
        "entries[1]: layer 0 op q_proj is planned twice for decode")]
    [InlineData("""{"layer": 0, "op": "q_proj", "weights": "int8", "phase": "prefill"}, {"layer": 0, "op": "q_proj", "weights": "int4"}""",
        "entries[1]: layer 0 op q_proj is planned twice for prefill")]
    [InlineData("""{"layer": 0, "op": "q_proj", "weights": "mystery9", "phase": "decode"}""", "entries[0].weights: unknown datatype 'mystery9'")]
    public void BadEntriesAreRejectedNamingTheEntry(string entries, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => PrecisionPlanJson.Read(Plan(entries), "p.json"));
        Assert.StartsWith("p.json: " + expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    private static readonly Workload Opt = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 8, 1));

    [Fact]
    public void APlanForTheWorkloadsModelAndItsOpsIsValid()
    {
        // OPT-1.3B has 24 layers with q/k/v/out_proj, fc1, fc2, and lm_head outside them.
        var plan = PrecisionPlanJson.Read(Plan("""
            {"layer": 0, "op": "q_proj", "weights": "bitmod3"}, {"layer": 23, "op": "fc2", "weights": "int8", "phase": "decode"},
            {"layer": -1, "op": "lm_head", "weights": "int8"}
            """));
        Assert.Null(PlanWorkloadValidator.Validate(plan, Opt));
    }

    [Theory]
    [InlineData("""{"layer": 0, "op": "q_proj", "weights": "bitmod3"}""", "llama-2-7b", "model: the plan is for 'llama-2-7b', the workload is 'opt-1.3b'")]
    [InlineData("""{"layer": 0, "op": "q_proj", "weights": "bitmod3"}, {"layer": 24, "op": "q_proj", "weights": "int8"}""", "opt-1.3b",
        "entries[1].layer: opt-1.3b has no layer 24 (layers 0 .. 23, -1 for ops outside them)")]
    [InlineData("""{"layer": 2, "op": "gate_proj", "weights": "int8"}""", "opt-1.3b",
        "entries[0].op: layer 2 of opt-1.3b has no linear op 'gate_proj' (q_proj, k_proj, v_proj, o_proj, fc1, fc2)")]
    [InlineData("""{"layer": -1, "op": "q_proj", "weights": "int8"}""", "opt-1.3b", "entries[0].op: layer -1 of opt-1.3b has no linear op 'q_proj' (lm_head)")]
    public void APlanMustFitTheWorkload(string entries, string model, string expected)
    {
        var plan = PrecisionPlanJson.Read(Plan(entries, model));
        Assert.Equal(expected, PlanWorkloadValidator.Validate(plan, Opt));
    }
}
