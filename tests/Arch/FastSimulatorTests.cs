using HwSim.Arch.Fast;
using HwSim.Arch.Memory;
using HwSim.Arch.Spec;
using HwSim.Arch.Timing;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

public class FastSimulatorTests
{
    private static Workload SingleGemm(long m, long n, long k)
    {
        var op = new TraceOp(0, "gemm", OpKind.Gemm, -1, Phase.Standalone, new GemmShape(m, n, k), default,
            [
                new Operand("A", OperandRole.Activation, false, m * k),
                new Operand("B", OperandRole.Weight, false, k * n),
                new Operand("C", OperandRole.Activation, true, m * n),
            ], []);
        return new Workload("gemm", null, 1, 1, 0, Precision.Fp16, [op], []);
    }

    [Fact]
    public void DramBoundLayerTakesItsBytesOverTheBandwidth()
    {
        // One token through a 4096 × 16384 INT8 layer on a wide array: 64 MiB of weights, almost no compute.
        var spec = Presets.Find("int8-systolic")!;
        var result = FastSimulator.Run(spec, SingleGemm(1, 16384, 4096), RunFormats.Default(spec));
        long bytes = result.Sum(o => o.DramReadBytes + o.DramWriteBytes);
        double ideal = (double)bytes / ((SimpleDramSpec)spec.Dram).BytesPerCycle;
        Assert.True(bytes > 64L * 1024 * 1024);
        Assert.InRange(result.TotalCycles / ideal, 1.0, 1.01);
    }

    [Fact]
    public void ComputeBoundLayerTakesTheArrayClosedFormPlusTheFirstLoad()
    {
        var spec = Presets.Find("int8-systolic")!;
        const long m = 4096, n = 256, k = 256; // weights 64 KiB fit one half of the weight FIFO
        var result = FastSimulator.Run(spec, SingleGemm(m, n, k), RunFormats.Default(spec));
        var closed = ArrayTiming.Gemm(spec.Array, spec.Pe, WeightDatatypes.Get("int8"), m, n, k);
        var op = Assert.Single(result.Ops);
        Assert.Equal(closed.Cycles, op.ComputeCycles);
        Assert.Equal(closed.BusyPeCycles, op.BusyPeCycles);
        long firstLoad = (m * k + k * n + ((SimpleDramSpec)spec.Dram).BytesPerCycle - 1) / ((SimpleDramSpec)spec.Dram).BytesPerCycle;
        Assert.Equal(closed.Cycles + firstLoad, op.Cycles);
    }

    [Fact]
    public void ByteTotalsMatchTheTraceAndRunsAreDeterministic()
    {
        var spec = Presets.Find("bitmod-gen")!;
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 32, 4));
        var formats = RunFormats.Default(spec);
        var first = FastSimulator.Run(spec, workload, formats);
        var second = FastSimulator.Run(spec, workload, formats);
        Assert.Equal(first.TotalCycles, second.TotalCycles);
        Assert.Equal(first.Ops.Select(o => o.Cycles), second.Ops.Select(o => o.Cycles));
        // Every weight byte of a decode step is read from DRAM once per step.
        long weightBytes = workload.Decode.Where(o => o.Kind == OpKind.Linear)
            .Sum(o => formats.Decode.Bytes.Bytes(o.WeightElements));
        long decodeLinearReads = first.Ops.Where(o => o.Op.Phase == Phase.Decode && o.Op.Kind == OpKind.Linear).Sum(o => o.DramReadBytes);
        Assert.Equal(4 * weightBytes, decodeLinearReads); // decode activations stay on chip
        Assert.Equal(first.Ops.Sum(o => o.Cycles), first.PrefillCycles + first.DecodeCycles);
        Assert.True(first.Ops.All(o => o.StallCycles >= 0));
    }

    [Fact]
    public void BitmodBeatsTheBaselinesOnAPrefillAtEqualArea()
    {
        var workload = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 256, 0));
        long Cycles(string name)
        {
            var spec = Presets.Find(name)!;
            return FastSimulator.Run(spec, workload, RunFormats.Default(spec)).PrefillCycles;
        }
        long bitmod = Cycles("bitmod"), ant = Cycles("ant"), fp16 = Cycles("fp16-baseline");
        Assert.True(bitmod < ant && ant < fp16, $"bitmod {bitmod}, ant {ant}, fp16 {fp16}");
    }
}
