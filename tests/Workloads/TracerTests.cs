using HwSim.Workloads.Analysis;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Workloads;

public class TracerTests
{
    private static Workload Trace(string model, int batch, int prompt, int generate) =>
        LlmTracer.Trace(new TraceRequest(ModelZoo.Get(model), batch, prompt, generate));

    /// <summary>
    /// Closed form of one decoder layer's prefill MACs with T = B·P tokens: the projections T·H·(2·q + 2·kv) where
    /// q = heads·head_dim and kv = kv_heads·head_dim, the FFN 3·T·H·I (gated) or 2·T·H·I, and attention
    /// 2·B·heads·P²·head_dim (scores and context over the full P×P matrix).
    /// </summary>
    private static long LayerPrefillMacs(ModelConfig m, long batch, long prompt)
    {
        long tokens = batch * prompt, h = m.HiddenSize;
        long projections = tokens * h * (2L * m.QueryWidth + 2L * m.KvWidth);
        long ffn = (m.Ffn == FfnKind.Gated ? 3 : 2) * tokens * h * m.IntermediateSize;
        long attention = 2 * batch * m.Heads * prompt * prompt * m.HeadDim;
        return projections + ffn + attention;
    }

    [Theory]
    [InlineData("llama-2-7b", 1, 2048)]
    [InlineData("llama-3-8b", 4, 512)]
    [InlineData("opt-1.3b", 2, 300)]
    [InlineData("phi-2", 1, 77)]
    [InlineData("gemma-2-2b", 3, 129)]
    public void PrefillMacsPerLayerEqualTheClosedForm(string name, int batch, int prompt)
    {
        var workload = Trace(name, batch, prompt, 0);
        var model = workload.Model!;
        long expected = LayerPrefillMacs(model, batch, prompt);
        for (int layer = 0; layer < model.Layers; layer++)
            Assert.Equal(expected, workload.Prefill.Where(o => o.Layer == layer).Sum(o => o.Macs.At(0)));
        var lmHead = workload.Prefill.Single(o => o.Name == "lm_head");
        Assert.Equal((long)batch * model.VocabSize * model.HiddenSize, lmHead.Macs.At(0));
    }

    [Theory]
    [InlineData("llama-3-8b", 32, 8)]
    [InlineData("mistral-7b", 32, 8)]
    public void GroupedQueryAttentionShapes(string name, int heads, int kvHeads)
    {
        var workload = Trace(name, 2, 16, 4);
        var layer0 = workload.Prefill.Where(o => o.Layer == 0).ToDictionary(o => o.Name["layers.0.".Length..]);
        Assert.Equal(new GemmShape(32, heads * 128, 4096), layer0["q_proj"].Gemm);
        Assert.Equal(new GemmShape(32, kvHeads * 128, 4096), layer0["k_proj"].Gemm);
        Assert.Equal(new GemmShape(32, kvHeads * 128, 4096), layer0["v_proj"].Gemm);
        Assert.Equal(new GemmShape(16, 16, 128, 2 * heads), layer0["attn_scores"].Gemm);
        Assert.Equal(2L * kvHeads * 128 * 16, layer0["attn_scores"].Operands.Single(o => o.Tensor == "k").Elements.At(0));
        Assert.Equal(2L * 2 * 16 * kvHeads * 128, layer0["kv_cache_write"].Elements.At(0));

        var decodeScores = workload.Decode.First(o => o.Kind == OpKind.AttentionScores);
        Assert.Equal(new GemmShape(1, new Affine(1, 1), 128, 2 * heads), decodeScores.Gemm);
        var cachedK = decodeScores.Operands.Single(o => o.Tensor == "k");
        Assert.Equal(OperandRole.KvCache, cachedK.Role);
        Assert.Equal(2L * kvHeads * 128 * 21, cachedK.Elements.At(20)); // 20 cached tokens + the step's own
    }

    [Fact]
    public void DecodeStepsRunFromPromptLengthToPromptPlusGenerateMinusOne()
    {
        var workload = Trace("llama-2-7b", 1, 100, 8);
        Assert.Equal(Enumerable.Range(100, 8).Select(i => (long)i), workload.DecodeKvLengths());
        Assert.Empty(Trace("llama-2-7b", 1, 100, 0).DecodeKvLengths());
    }

    [Fact]
    public void DecodeTotalsInClosedFormEqualStepByStepSums()
    {
        var workload = Trace("llama-3-8b", 2, 64, 37);
        var summary = WorkloadSummary.Of(workload);
        Int128 stepByStep = 0;
        foreach (long kv in workload.DecodeKvLengths())
            stepByStep += workload.Decode.Sum(o => o.Macs.At(kv));
        Assert.Equal(stepByStep, summary.DecodeMacs);
        Assert.Equal(2L * 32 * 8 * 128 * 2, summary.KvCacheBytesPerToken); // K and V, 32 layers, 8·128 wide, fp16
    }

    [Fact]
    public void WeightOperandsOfOneStepCoverEveryParameterOnce()
    {
        foreach (var model in ModelZoo.All)
        {
            var workload = LlmTracer.Trace(new TraceRequest(model, 1, 1, 0));
            var inventory = ParameterInventory.Of(model).Where(t => t.Layer >= 0).Sum(t => t.Elements);
            var traced = workload.Prefill.Where(o => o.Layer >= 0).Sum(o => o.WeightElements);
            Assert.Equal(inventory, traced);
        }
    }

    [Fact]
    public void TopologicalScheduleRespectsEveryDependency()
    {
        var workload = Trace("gemma-2-2b", 1, 8, 2);
        foreach (var ops in new[] { workload.Prefill, workload.Decode })
        {
            var position = OpGraph.Schedule(ops).Select((op, index) => (op.Id, index)).ToDictionary(p => p.Id, p => p.index);
            Assert.Equal(ops.Count, position.Count);
            foreach (var op in ops)
                foreach (int dependency in op.DependsOn)
                    Assert.True(position[dependency] < position[op.Id], $"{op.Name} scheduled before its input {dependency}");
        }
    }

    [Fact]
    public void RooflineSeparatesPrefillGemmsFromDecodeGemv()
    {
        var workload = Trace("llama-2-7b", 1, 2048, 16);
        var machine = new RooflineMachine(PeakMacsPerCycle: 4096, BytesPerCycle: 64);
        var prefillUp = workload.Prefill.First(o => o.Name.EndsWith("up_proj"));
        var decodeUp = workload.Decode.First(o => o.Name.EndsWith("up_proj"));
        Assert.Equal(Bound.Compute, Roofline.Classify(prefillUp, 0, workload.Precision, machine).Bound);
        var decode = Roofline.Classify(decodeUp, 2048, workload.Precision, machine);
        Assert.Equal(Bound.Memory, decode.Bound);
        Assert.Equal((decode.Bytes + 63) / 64, decode.LowerBoundCycles);
    }
}
