using System.Text.Json.Serialization;
using HwSim.Arch.Pe;
using HwSim.Numerics.Datatypes;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Spec;

/// <summary>Which operand stays in the PEs while the others stream (SCALE-Sim's names).</summary>
public enum Dataflow { Ws, Os, Is }

/// <summary>
/// How operands reach the PEs: <see cref="Systolic"/> moves them one PE per step (skewed fill and drain);
/// <see cref="Broadcast"/> drives a whole row or column at once (no skew; output-stationary only).
/// </summary>
public enum Interconnect { Systolic, Broadcast }

/// <summary>What a buffer holds.</summary>
public enum BufferRole { Weights, Activations, Outputs, Unified }

/// <summary>R × C processing elements; rows take GEMM dimension Sr and columns Sc of the dataflow (see ArrayMapping).</summary>
public sealed record ArraySpec(int Rows, int Cols, Dataflow Dataflow, Interconnect Interconnect = Interconnect.Systolic);

/// <summary>An on-chip SRAM buffer; <see cref="DoubleBuffered"/> splits it into two halves that fill and drain alternately.</summary>
public sealed record BufferSpec(
    string Name,
    BufferRole Role,
    long CapacityBytes,
    int Banks = 1,
    int Ports = 1,
    int WidthBits = 64,
    bool DoubleBuffered = true);

/// <summary>
/// Off-chip memory: a peak of <see cref="BytesPerCycle"/> bytes per accelerator cycle after
/// <see cref="LatencyCycles"/> cycles of access latency per transfer; optional banks and row buffers (a transfer that
/// opens a new row pays <see cref="RowMissPenaltyCycles"/>).
/// </summary>
public sealed record DramSpec(
    int BytesPerCycle,
    int LatencyCycles = 0,
    int Banks = 0,
    long RowBufferBytes = 0,
    int RowMissPenaltyCycles = 0);

/// <summary>DMA engines that move tiles between DRAM and the buffers; each moves one transfer at a time.</summary>
public sealed record DmaSpec(int Engines = 2, long BurstBytes = 64);

/// <summary>A weight decoder replicated at the array edge (OVP pair decoder, flint decoder, BitMoD dequantization unit).</summary>
public sealed record DecoderSpec(string Kind, int Count);

/// <summary>
/// Elementwise unit for the non-GEMM ops (norms, softmax, RoPE, activations, residual adds):
/// <see cref="Lanes"/> element operations per cycle.
/// </summary>
public sealed record VectorUnitSpec(int Lanes);

/// <summary>
/// A complete accelerator: clock, PE array, PE, buffers, DRAM, DMA, decoders, vector unit, and the operand formats a
/// run uses unless told otherwise. <see cref="DefaultWeights"/> is the weight datatype of prefill (and of decode
/// when <see cref="DecodeWeights"/> is absent); a generative design may decode with a narrower one (BitMoD runs
/// 4-bit weights in prefill and 3-bit in decode). Both must be weight types of the PE.
/// </summary>
public sealed record AcceleratorSpec(
    string Name,
    string Description,
    long ClockMhz,
    ArraySpec Array,
    PeSpec Pe,
    IReadOnlyList<BufferSpec> Buffers,
    DramSpec Dram,
    DmaSpec Dma,
    IReadOnlyList<DecoderSpec> Decoders,
    VectorUnitSpec VectorUnit,
    string DefaultWeights,
    string KvCache = "fp16",
    string Source = "",
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DecodeWeights = null)
{
    /// <summary>The weight datatype ops of <paramref name="phase"/> run unless a plan says otherwise.</summary>
    public string WeightsFor(Phase phase) => phase == Phase.Decode ? DecodeWeights ?? DefaultWeights : DefaultWeights;

    public long ClockHz => checked(ClockMhz * 1_000_000);

    public BufferSpec? BufferFor(BufferRole role) =>
        Buffers.FirstOrDefault(b => b.Role == role) ?? Buffers.FirstOrDefault(b => b.Role == BufferRole.Unified);
}
