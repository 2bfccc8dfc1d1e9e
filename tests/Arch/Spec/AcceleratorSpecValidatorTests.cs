using HwSim.Arch.Memory;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch.Spec;

/// <summary>
/// Every check of the accelerator validator at both sides of its bound: the last accepted value passes, the first
/// rejected one fails with its whole one-line message (field path, bound, offending value).
/// </summary>
public class AcceleratorSpecValidatorTests
{
    private static readonly AcceleratorSpec Bitmod = Presets.Find("bitmod")!;

    private static string? Check(AcceleratorSpec spec) => AcceleratorSpecValidator.Validate(spec);

    private static AcceleratorSpec WithBuffer(Func<BufferSpec, BufferSpec> change) =>
        Bitmod with { Buffers = [change(Bitmod.Buffers[0]), Bitmod.Buffers[1]] };

    [Fact]
    public void NameAndClock()
    {
        Assert.Equal("name: must not be empty", Check(Bitmod with { Name = " " }));
        Assert.Equal("name: must not be empty", Check(Bitmod with { Name = "" }));
        Assert.Null(Check(Bitmod with { Name = "x" }));
        Assert.Equal("clockMhz: must be in 1 .. 1000000 (got 0)", Check(Bitmod with { ClockMhz = 0 }));
        Assert.Equal("clockMhz: must be in 1 .. 1000000 (got 1000001)", Check(Bitmod with { ClockMhz = 1_000_001 }));
        Assert.Null(Check(Bitmod with { ClockMhz = 1 }));
        Assert.Null(Check(Bitmod with { ClockMhz = 1_000_000 }));
    }

    [Fact]
    public void ArrayBoundsAndInterconnect()
    {
        var array = Bitmod.Array;
        Assert.Equal("array: missing", Check(Bitmod with { Array = null! }));
        Assert.Equal("array.rows: must be in 1 .. 4096 (got 0)", Check(Bitmod with { Array = array with { Rows = 0 } }));
        Assert.Equal("array.rows: must be in 1 .. 4096 (got 4097)", Check(Bitmod with { Array = array with { Rows = 4097 } }));
        Assert.Equal("array.cols: must be in 1 .. 4096 (got 0)", Check(Bitmod with { Array = array with { Cols = 0 } }));
        Assert.Equal("array.cols: must be in 1 .. 4096 (got 4097)", Check(Bitmod with { Array = array with { Cols = 4097 } }));
        Assert.Null(Check(Bitmod with { Array = array with { Rows = 1, Cols = 1 } }));
        Assert.Null(Check(Bitmod with { Array = array with { Rows = 4096, Cols = 4096 } }));
        Assert.Equal("array.interconnect: broadcast arrays are output-stationary (dataflow is ws)",
            Check(Bitmod with { Array = array with { Dataflow = Dataflow.Ws } }));
        Assert.Equal("array.interconnect: broadcast arrays are output-stationary (dataflow is is)",
            Check(Bitmod with { Array = array with { Dataflow = Dataflow.Is } }));
        Assert.Null(Check(Bitmod with { Array = array with { Dataflow = Dataflow.Ws, Interconnect = Interconnect.Systolic } }));
    }

    [Fact]
    public void PeChecksComeFromThePe()
    {
        var pe = (TermSerialPe)Bitmod.Pe;
        Assert.Equal("pe: missing", Check(Bitmod with { Pe = null! }));
        Assert.Equal("pe.dotProductWidth: must be in 1 .. 64 (got 0)", Check(Bitmod with { Pe = pe with { DotProductWidth = 0 } }));
        Assert.Equal("pe.dotProductWidth: must be in 1 .. 64 (got 65)", Check(Bitmod with { Pe = pe with { DotProductWidth = 65 } }));
        Assert.Null(Check(Bitmod with { Pe = pe with { DotProductWidth = 1 } }));
        Assert.Null(Check(Bitmod with { Pe = pe with { DotProductWidth = 64 } }));
        Assert.Equal("pe.accumulatorBits: must be in 8 .. 64 (got 7)", Check(Bitmod with { Pe = pe with { AccumulatorBits = 7 } }));
        Assert.Equal("pe.accumulatorBits: must be in 8 .. 64 (got 65)", Check(Bitmod with { Pe = pe with { AccumulatorBits = 65 } }));
        Assert.Null(Check(Bitmod with { Pe = pe with { AccumulatorBits = 8 } }));
        Assert.Null(Check(Bitmod with { Pe = pe with { AccumulatorBits = 64 } }));
        Assert.Equal("pe.activationType: unknown 'fp8' (expected one of fp16, bf16, int8, int16)",
            Check(Bitmod with { Pe = pe with { ActivationType = "fp8" } }));
        foreach (string type in new[] { "fp16", "bf16", "int8", "int16" }) Assert.Null(Check(Bitmod with { Pe = pe with { ActivationType = type } }));
        Assert.Equal("pe.termsPerCycle: a termSerial PE needs 1 .. 16 terms per cycle (got 0)", Check(Bitmod with { Pe = pe with { TermsPerCycle = 0 } }));
        Assert.Equal("pe.termsPerCycle: a termSerial PE needs 1 .. 16 terms per cycle (got 17)", Check(Bitmod with { Pe = pe with { TermsPerCycle = 17 } }));
        Assert.Null(Check(Bitmod with { Pe = pe with { TermsPerCycle = 16 } }));
        Assert.Equal("pe.weightTypes: must name at least one weight datatype", Check(Bitmod with { Pe = pe with { WeightTypes = [] } }));
        Assert.Equal("pe.weightTypes: must name at least one weight datatype", Check(Bitmod with { Pe = pe with { WeightTypes = null! } }));
        Assert.StartsWith("pe.weightTypes[5]: unknown datatype 'mystery9'", Check(Bitmod with { Pe = pe with { WeightTypes = [.. pe.WeightTypes, "mystery9"] } }));
        Assert.StartsWith("pe.weightTypes[5]: 'fp16' is floating point (", Check(Bitmod with { Pe = pe with { WeightTypes = [.. pe.WeightTypes, "fp16"] } }));
        Assert.EndsWith("); a termSerial PE needs weights that are sums of signed powers of two",
            Check(Bitmod with { Pe = pe with { WeightTypes = [.. pe.WeightTypes, "fp16"] } }));

        var serial = new BitSerialPe(1, ["int8"], BitsPerCycle: 1);
        Assert.Null(serial.Validate());
        Assert.Null((serial with { BitsPerCycle = 16 }).Validate());
        Assert.Equal("pe.bitsPerCycle: a bitSerial PE needs 1 .. 16 bits per cycle (got 0)", (serial with { BitsPerCycle = 0 }).Validate());
        Assert.Equal("pe.bitsPerCycle: a bitSerial PE needs 1 .. 16 bits per cycle (got 17)", (serial with { BitsPerCycle = 17 }).Validate());
        Assert.StartsWith("pe.weightTypes[1]: 'fp16' is floating point (", (serial with { WeightTypes = ["int8", "fp16"] }).Validate());
        Assert.EndsWith("); a bitSerial PE walks the two's-complement digits of integer weights", (serial with { WeightTypes = ["fp16"] }).Validate());
        Assert.Null(new BitParallelPe(1, ["fp16", "int8"]).Validate());
    }

    [Fact]
    public void Buffers()
    {
        Assert.Equal("buffers: must list at least one SRAM buffer", Check(Bitmod with { Buffers = [] }));
        Assert.Equal("buffers: must list at least one SRAM buffer", Check(Bitmod with { Buffers = null! }));
        Assert.Equal("buffers[0].name: must not be empty", Check(WithBuffer(b => b with { Name = "" })));
        Assert.Equal("buffers[1].name: 'weight_sram' is used twice", Check(Bitmod with { Buffers = [Bitmod.Buffers[0], Bitmod.Buffers[0]] }));
        Assert.Equal("buffers[0].capacityBytes: buffer 'weight_sram' must hold at least 1 byte (got 0)", Check(WithBuffer(b => b with { CapacityBytes = 0 })));
        Assert.Null(Check(WithBuffer(b => b with { CapacityBytes = 1, DoubleBuffered = false })));
        Assert.Equal("buffers[0].capacityBytes: a double-buffered buffer needs at least 2 bytes", Check(WithBuffer(b => b with { CapacityBytes = 1 })));
        Assert.Null(Check(WithBuffer(b => b with { CapacityBytes = 2 })));
        Assert.Null(Check(WithBuffer(b => b with { CapacityBytes = 1L << 40 })));
        Assert.Equal($"buffers[0].capacityBytes: must be at most {1L << 40} (1 TiB; got {(1L << 40) + 1})", Check(WithBuffer(b => b with { CapacityBytes = (1L << 40) + 1 })));
        Assert.Equal("buffers[0].banks: must be in 1 .. 65536 (got 0)", Check(WithBuffer(b => b with { Banks = 0 })));
        Assert.Equal("buffers[0].banks: must be in 1 .. 65536 (got 65537)", Check(WithBuffer(b => b with { Banks = 65537 })));
        Assert.Null(Check(WithBuffer(b => b with { Banks = 1 })));
        Assert.Null(Check(WithBuffer(b => b with { Banks = 65536 })));
        foreach (int bad in new[] { 0, 4, 12, 65544 })
            Assert.Equal($"buffers[0].widthBits: must be a multiple of 8 in 8 .. 65536 (got {bad})", Check(WithBuffer(b => b with { WidthBits = bad })));
        Assert.Null(Check(WithBuffer(b => b with { WidthBits = 8 })));
        Assert.Null(Check(WithBuffer(b => b with { WidthBits = 65536 })));
        Assert.Equal("buffers: no buffer holds weights (add role 'weights' or 'unified')", Check(WithBuffer(b => b with { Role = BufferRole.Outputs })));
        Assert.Equal("buffers: no buffer holds activations (add role 'activations' or 'unified')",
            Check(Bitmod with { Buffers = [Bitmod.Buffers[0], Bitmod.Buffers[1] with { Role = BufferRole.Weights }] }));
        // A unified buffer holds both, and it is what BufferFor falls back to.
        var unified = Bitmod with { Buffers = [Bitmod.Buffers[0] with { Role = BufferRole.Unified }] };
        Assert.Null(Check(unified));
        Assert.Equal("weight_sram", unified.BufferFor(BufferRole.Activations)!.Name);
        Assert.Equal("act_sram", Bitmod.BufferFor(BufferRole.Activations)!.Name);
        Assert.Null(Bitmod.BufferFor(BufferRole.Outputs));
    }

    [Fact]
    public void DramDmaDecodersAndVectorUnit()
    {
        Assert.Equal("dram: missing", Check(Bitmod with { Dram = null! }));
        Assert.Equal("dram.capacityBytes: must be at least 1 byte (got 0)", Check(Bitmod with { Dram = Bitmod.Dram with { CapacityBytes = 0 } }));
        Assert.Null(Check(Bitmod with { Dram = Bitmod.Dram with { CapacityBytes = 1 } }));
        Assert.Equal("dram.bytesPerCycle: must be at least 1 (got 0)", Check(Bitmod with { Dram = new SimpleDramSpec(0) }));

        Assert.Equal("dma: missing", Check(Bitmod with { Dma = null! }));
        Assert.Equal("dma.engines: must be in 1 .. 64 (got 0)", Check(Bitmod with { Dma = new DmaSpec(0) }));
        Assert.Equal("dma.engines: must be in 1 .. 64 (got 65)", Check(Bitmod with { Dma = new DmaSpec(65) }));
        Assert.Null(Check(Bitmod with { Dma = new DmaSpec(1) }));
        Assert.Null(Check(Bitmod with { Dma = new DmaSpec(64) }));
        Assert.Equal($"dma.burstBytes: must be in 1 .. {1L << 40} (got 0)", Check(Bitmod with { Dma = new DmaSpec(2, 0) }));
        Assert.Equal($"dma.burstBytes: must be in 1 .. {1L << 40} (got {(1L << 40) + 1})", Check(Bitmod with { Dma = new DmaSpec(2, (1L << 40) + 1) }));
        Assert.Null(Check(Bitmod with { Dma = new DmaSpec(2, 1) }));
        Assert.Null(Check(Bitmod with { Dma = new DmaSpec(2, 1L << 40) }));

        Assert.Null(Check(Bitmod with { Decoders = null! }));
        Assert.StartsWith("decoders[1].kind: unknown 'lut' (expected one of ", Check(Bitmod with { Decoders = [Bitmod.Decoders[0], new DecoderSpec("lut", 1)] }));
        Assert.Contains("bitmod-dequant", Check(Bitmod with { Decoders = [new DecoderSpec("lut", 1)] }));
        Assert.Equal("decoders[0].count: must be in 1 .. 1048576 (got 0)", Check(Bitmod with { Decoders = [new DecoderSpec("bitmod-dequant", 0)] }));
        Assert.Equal("decoders[0].count: must be in 1 .. 1048576 (got 1048577)", Check(Bitmod with { Decoders = [new DecoderSpec("bitmod-dequant", 1_048_577)] }));
        Assert.Null(Check(Bitmod with { Decoders = [new DecoderSpec("bitmod-dequant", 1)] }));
        Assert.Null(Check(Bitmod with { Decoders = [new DecoderSpec("bitmod-dequant", 1_048_576)] }));

        Assert.Equal("vectorUnit: missing", Check(Bitmod with { VectorUnit = null! }));
        Assert.Equal("vectorUnit.lanes: must be in 1 .. 1048576 (got 0)", Check(Bitmod with { VectorUnit = new VectorUnitSpec(0) }));
        Assert.Equal("vectorUnit.lanes: must be in 1 .. 1048576 (got 1048577)", Check(Bitmod with { VectorUnit = new VectorUnitSpec(1_048_577) }));
        Assert.Null(Check(Bitmod with { VectorUnit = new VectorUnitSpec(1) }));
        Assert.Null(Check(Bitmod with { VectorUnit = new VectorUnitSpec(1_048_576) }));
    }

    [Fact]
    public void OperandFormats()
    {
        const string types = "(pe.weightTypes: bitmod4, bitmod3, int6, int8, int4)";
        Assert.Equal($"defaultWeights: 'ovp4' is not a weight type the PE supports {types}", Check(Bitmod with { DefaultWeights = "ovp4" }));
        Assert.Equal($"decodeWeights: 'int2' is not a weight type the PE supports {types}", Check(Bitmod with { DecodeWeights = "int2" }));
        Assert.Null(Check(Bitmod with { DecodeWeights = "int6" }));
        Assert.StartsWith("kvCache: unknown datatype 'mystery9'", Check(Bitmod with { KvCache = "mystery9" }));
        Assert.StartsWith("kvCache: 'fp16' is floating point (", Check(Bitmod with { KvCache = "fp16" }));
        // A KV cache need not be a weight type of the PE, only one it can execute.
        Assert.Null(Check(Bitmod with { KvCache = "int6" }));
    }
}
