using System.Text.Json.Serialization;
using HwSim.Arch.Memory;
using HwSim.Arch.Pe;
using HwSim.Numerics.Registry;
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
    int WidthBits = 64,
    bool DoubleBuffered = true);

/// <summary>
/// Off-chip memory. The JSON field <c>model</c> picks the implementation (a record registered with
/// <see cref="ModelNameAttribute"/>: "simple" or "banked"); each model's record holds exactly the fields it reads, so
/// any other field is rejected.
/// </summary>
[ModelFamily("model")]
public abstract record DramSpec
{
    /// <summary>
    /// How many bytes the DRAM holds (optional; every model takes it). The weights take their share and the serving
    /// simulator bounds the KV cache by the rest; the cycle models do not read it. Absent in the presets (the BitMoD
    /// paper does not state a capacity), so `hwsim serve` asks for it then.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CapacityBytes { get; init; }

    /// <summary>The first problem as "dram.field: reason", or null.</summary>
    public abstract string? Validate();

    /// <summary>A fresh model (no open rows, idle channel) for a run on an accelerator clocked at <paramref name="acceleratorClockHz"/>.</summary>
    public abstract IDramModel CreateModel(long acceleratorClockHz);

    /// <summary>The values the exported hardware headers carry (names without the DRAM_ prefix).</summary>
    public abstract IReadOnlyList<DramParameter> HeaderParameters();
}

/// <summary>
/// DMA engines that move tiles between DRAM and the buffers; each moves one transfer at a time, issuing it to the
/// DRAM as bursts of <see cref="BurstBytes"/>.
/// </summary>
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
