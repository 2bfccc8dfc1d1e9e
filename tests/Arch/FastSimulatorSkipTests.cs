using HwSim.Arch.Fast;
using HwSim.Arch.Memory;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

/// <summary>
/// Skipping repeated periods of the tile pipeline must change nothing but the events the kernel runs: every total,
/// per-op result and component report equals the event-by-event run's, over presets, models, batch sizes and
/// memory-system variants.
/// </summary>
public class FastSimulatorSkipTests
{
    private static AcceleratorSpec Preset(string name) => Presets.Find(name)!;

    private static AcceleratorSpec WithDram(AcceleratorSpec spec, Func<SimpleDramSpec, SimpleDramSpec> change) =>
        spec with { Dram = change((SimpleDramSpec)spec.Dram) };

    private static AcceleratorSpec WithBuffers(AcceleratorSpec spec, Func<BufferSpec, BufferSpec> change) =>
        spec with { Buffers = [.. spec.Buffers.Select(change)] };

    /// <summary>Name → (accelerator, model, batch, prompt, generate).</summary>
    private static readonly Dictionary<string, (Func<AcceleratorSpec> Spec, string Model, int Batch, int Prompt, int Generate)> Cases = new()
    {
        ["fp16-baseline"] = (() => Preset("fp16-baseline"), "opt-1.3b", 1, 128, 8),
        ["fp16-baseline-gen"] = (() => Preset("fp16-baseline-gen"), "opt-1.3b", 1, 64, 4),
        ["ant"] = (() => Preset("ant"), "opt-1.3b", 1, 128, 8),
        ["ant-gen"] = (() => Preset("ant-gen"), "phi-2", 1, 64, 4),
        ["olive"] = (() => Preset("olive"), "opt-1.3b", 1, 128, 8),
        ["olive-gen"] = (() => Preset("olive-gen"), "phi-2", 1, 64, 4),
        ["bitmod"] = (() => Preset("bitmod"), "opt-1.3b", 1, 128, 8),
        ["bitmod-gen per-phase datatypes"] = (() => Preset("bitmod-gen"), "opt-1.3b", 1, 128, 16),
        ["int8-systolic 700 MHz"] = (() => Preset("int8-systolic"), "opt-1.3b", 1, 256, 16),
        ["int8-systolic llama-2-7b decode"] = (() => Preset("int8-systolic"), "llama-2-7b", 1, 16, 4),
        ["bitmod llama-2-7b"] = (() => Preset("bitmod"), "llama-2-7b", 1, 32, 2),
        ["int8-systolic mistral-7b (GQA)"] = (() => Preset("int8-systolic"), "mistral-7b", 1, 32, 4),
        ["bitmod-gen llama-3-8b (GQA) batch 4"] = (() => Preset("bitmod-gen"), "llama-3-8b", 4, 16, 2),
        ["bitmod-gen gemma-2-2b (GQA) batch 8"] = (() => Preset("bitmod-gen"), "gemma-2-2b", 8, 16, 6),
        ["small buffers (K split), gemma-2-2b (GQA) batch 2, 3 engines"] = (() => WithBuffers(Preset("int8-systolic"), b => b with { CapacityBytes = 16 * 1024 }) with { Dma = new DmaSpec(Engines: 3) }, "gemma-2-2b", 2, 16, 4),
        ["bitmod batch 4"] = (() => Preset("bitmod"), "phi-2", 4, 64, 4),
        ["fp16-baseline batch 4"] = (() => Preset("fp16-baseline"), "opt-1.3b", 4, 64, 4),
        ["DRAM latency 37"] = (() => WithDram(Preset("bitmod"), d => d with { LatencyCycles = 37 }), "opt-1.3b", 1, 128, 8),
        ["DRAM latency 37, int8"] = (() => WithDram(Preset("int8-systolic"), d => d with { LatencyCycles = 37 }), "opt-1.3b", 2, 64, 8),
        ["row misses"] = (() => WithDram(Preset("ant"), d => d with { RowBufferBytes = 2048, RowMissPenaltyCycles = 11 }), "opt-1.3b", 1, 128, 8),
        ["row misses and latency"] = (() => WithDram(Preset("int8-systolic"), d => d with { LatencyCycles = 37, RowBufferBytes = 1024, RowMissPenaltyCycles = 7 }), "phi-2", 1, 64, 4),
        ["1 DMA engine"] = (() => Preset("olive") with { Dma = new DmaSpec(Engines: 1) }, "opt-1.3b", 1, 128, 8),
        ["3 DMA engines"] = (() => Preset("bitmod") with { Dma = new DmaSpec(Engines: 3) }, "opt-1.3b", 1, 128, 8),
        ["3 DMA engines, latency 37"] = (() => WithDram(Preset("int8-systolic"), d => d with { LatencyCycles = 37 }) with { Dma = new DmaSpec(Engines: 3) }, "phi-2", 1, 64, 8),
        ["single-buffered"] = (() => WithBuffers(Preset("bitmod"), b => b with { DoubleBuffered = false }), "opt-1.3b", 1, 128, 8),
        ["single-buffered int8"] = (() => WithBuffers(Preset("int8-systolic"), b => b with { DoubleBuffered = false }), "phi-2", 1, 64, 4),
        ["small buffers (K split)"] = (() => WithBuffers(Preset("bitmod"), b => b with { CapacityBytes = 16 * 1024 }), "opt-1.3b", 1, 64, 4),
        ["small buffers (K split), fp16"] = (() => WithBuffers(Preset("fp16-baseline"), b => b with { CapacityBytes = 8 * 1024 }), "phi-2", 1, 64, 4),
        ["small buffers (K split), single-buffered, 3 engines"] = (() => WithBuffers(Preset("int8-systolic"), b => b with { CapacityBytes = 12 * 1024, DoubleBuffered = false }) with { Dma = new DmaSpec(Engines: 3) }, "opt-1.3b", 1, 64, 4),
        ["700 MHz bitmod"] = (() => Preset("bitmod") with { ClockMhz = 700 }, "opt-1.3b", 1, 128, 8),
        ["700 MHz, latency 37, row misses"] = (() => WithDram(Preset("olive") with { ClockMhz = 700 }, d => d with { LatencyCycles = 37, RowBufferBytes = 4096, RowMissPenaltyCycles = 5 }), "phi-2", 1, 64, 4),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void SkippingRepetitionsChangesNoResult(string name)
    {
        var (specOf, model, batch, prompt, generate) = Cases[name];
        var spec = specOf();
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get(model), batch, prompt, generate));
        var formats = RunFormats.Default(spec);
        var skipped = FastSimulator.Run(spec, workload, formats);
        var full = FastSimulator.Run(spec, workload, formats, fullEvents: true);
        AssertSameResults(full, skipped);
        Assert.Equal(full.EventsProcessed, full.EventsRun);
        // Block steps of one op and the layers of a step repeat: most events are skipped.
        Assert.True(skipped.EventsRun * 2 < full.EventsRun, $"{skipped.EventsRun} of {full.EventsRun} events run");
    }

    [Fact]
    public void APlanThatBreaksTheLayerPatternChangesNoResult()
    {
        // Two decode ops of one layer run another datatype of the PE: the layers no longer all repeat.
        var spec = Preset("bitmod");
        var other = WeightDatatypes.Get(spec.Pe.WeightTypes.First(t => t != spec.DefaultWeights));
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 64, 8));
        var formats = RunFormats.Default(spec) with
        {
            PerOp = new Dictionary<(Phase, int, string), WeightDatatype>
            {
                [(Phase.Decode, 5, workload.Decode.First(o => o.Layer == 5 && o.Kind == OpKind.Linear).LocalName)] = other,
                [(Phase.Prefill, 7, workload.Prefill.Last(o => o.Layer == 7 && o.Kind == OpKind.Linear).LocalName)] = other,
            },
        };
        var skipped = FastSimulator.Run(spec, workload, formats);
        AssertSameResults(FastSimulator.Run(spec, workload, formats, fullEvents: true), skipped);
        Assert.Contains(skipped.Ops, o => o.WeightType == other.Name);
    }

    [Fact]
    public void AnOutputThatStopsFittingOnChipMidDecodeChangesNoResult()
    {
        // Buffers of exactly the bytes the softmax holds at the middle decode step: its output stays on chip up to
        // there and goes to DRAM after, so the ops of later steps are placed (and tiled) differently from earlier ones.
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 64, 12));
        var softmax = workload.Decode.First(o => o.Kind == OpKind.Softmax);
        long middle = workload.FirstDecodeKv + workload.DecodeSteps / 2;
        bool Fits(long capacity, long kv)
        {
            var spec = WithBuffers(Preset("bitmod"), b => b with { CapacityBytes = capacity });
            return new OpTiler(spec, RunFormats.Default(spec)).KeepsOutputOnChip(softmax, kv);
        }
        long low = 1, high = 1L << 30;
        while (low < high)
        {
            long mid = (low + high) / 2;
            if (Fits(mid, middle)) high = mid;
            else low = mid + 1;
        }
        Assert.True(Fits(low, middle) && !Fits(low, middle + 1) && Fits(low, workload.FirstDecodeKv));
        var spec = WithBuffers(Preset("bitmod"), b => b with { CapacityBytes = low });
        var formats = RunFormats.Default(spec);
        var skipped = FastSimulator.Run(spec, workload, formats);
        var full = FastSimulator.Run(spec, workload, formats, fullEvents: true);
        AssertSameResults(full, skipped);
        Assert.True(skipped.EventsRun * 2 < full.EventsRun, $"{skipped.EventsRun} of {full.EventsRun} events run");
        // Worked out step by step: the softmax writes its output to DRAM exactly in the steps where it does not fit.
        var output = softmax.Operands.Single(o => o.IsOutput);
        long expected = workload.DecodeKvLengths().Where(kv => !Fits(low, kv)).Sum(kv => formats.Activations.Bytes(output.Elements.At(kv)));
        Assert.True(expected > 0);
        Assert.Equal(expected, skipped.Ops.Single(o => o.Op.Id == softmax.Id).DramWriteBytes);
    }

    [Fact]
    public void TheBankedDramModelRunsEveryEvent()
    {
        var spec = Preset("bitmod") with { ClockMhz = 1600, Dram = BankedDramSpec.Ddr4_3200() };
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 32, 2));
        var run = FastSimulator.Run(spec, workload, RunFormats.Default(spec));
        AssertSameResults(FastSimulator.Run(spec, workload, RunFormats.Default(spec), fullEvents: true), run);
        Assert.Equal(run.EventsProcessed, run.EventsRun);
    }

    private static void AssertSameResults(RunResult expected, RunResult actual)
    {
        Assert.Equal(expected.TotalCycles, actual.TotalCycles);
        Assert.Equal(expected.EventsProcessed, actual.EventsProcessed);
        Assert.Equal(expected.Components, actual.Components);
        Assert.Equal(expected.Ops.Count, actual.Ops.Count);
        for (int i = 0; i < expected.Ops.Count; i++)
        {
            var (e, a) = (expected.Ops[i], actual.Ops[i]);
            Assert.Equal(
                (e.Op.Id, e.Runs, e.Cycles, e.ComputeCycles, e.BusyPeCycles, e.Macs, e.ElementOps, e.Tiles, e.WeightType),
                (a.Op.Id, a.Runs, a.Cycles, a.ComputeCycles, a.BusyPeCycles, a.Macs, a.ElementOps, a.Tiles, a.WeightType));
            Assert.Equal(
                (e.DramReadBytes, e.DramWriteBytes, e.WeightSramReadBytes, e.WeightSramWriteBytes, e.ActivationSramReadBytes, e.ActivationSramWriteBytes),
                (a.DramReadBytes, a.DramWriteBytes, a.WeightSramReadBytes, a.WeightSramWriteBytes, a.ActivationSramReadBytes, a.ActivationSramWriteBytes));
        }
    }
}
