using HwSim.Arch.Pe;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Spec;

/// <summary>
/// Checks an accelerator description; the first problem comes back as "field.path: reason" (JSON field names), or
/// null when the description is valid.
/// </summary>
public static class AcceleratorSpecValidator
{
    /// <summary>Larger arrays are rejected: beyond this the cycle counts of a fold exceed what users meant to model.</summary>
    public const int MaxArrayDimension = 4096;

    /// <summary>
    /// The largest on-chip buffer: 2^40 bytes (1 TiB), far above any SRAM (a GPU's whole L2 is tens of MiB); below it
    /// bit counts (× 8) and every tile size derived from a buffer fit 64-bit integers.
    /// </summary>
    public const long MaxBufferBytes = 1L << 40;

    /// <summary>The most SRAM banks of a buffer: 2^16; with at most 65536-bit words a bank row stays within 32 bits.</summary>
    public const int MaxBanks = 1 << 16;

    /// <summary>The most decoders or vector lanes: 2^20, a thousand times a 32 × 32 array's edge.</summary>
    public const int MaxUnits = 1 << 20;

    public static string? Validate(AcceleratorSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Name)) return "name: must not be empty";
        if (spec.ClockMhz is < 1 or > 1_000_000) return $"clockMhz: must be in 1 .. 1000000 (got {spec.ClockMhz})";
        return Array(spec.Array) ?? Pe(spec.Pe) ?? Buffers(spec.Buffers) ?? Dram(spec.Dram) ?? Dma(spec.Dma)
            ?? Decoders(spec.Decoders) ?? VectorUnit(spec.VectorUnit) ?? Formats(spec);
    }

    private static string? Array(ArraySpec? array)
    {
        if (array is null) return "array: missing";
        if (array.Rows is < 1 or > MaxArrayDimension) return $"array.rows: must be in 1 .. {MaxArrayDimension} (got {array.Rows})";
        if (array.Cols is < 1 or > MaxArrayDimension) return $"array.cols: must be in 1 .. {MaxArrayDimension} (got {array.Cols})";
        if (array.Interconnect == Interconnect.Broadcast && array.Dataflow != Dataflow.Os)
            return $"array.interconnect: broadcast arrays are output-stationary (dataflow is {array.Dataflow.ToString().ToLowerInvariant()})";
        return null;
    }

    private static string? Pe(PeSpec? pe) => pe is null ? "pe: missing" : pe.Validate();

    private static string? Buffers(IReadOnlyList<BufferSpec>? buffers)
    {
        if (buffers is null || buffers.Count == 0) return "buffers: must list at least one SRAM buffer";
        var names = new HashSet<string>();
        for (int i = 0; i < buffers.Count; i++)
        {
            var b = buffers[i];
            string at = $"buffers[{i}]";
            if (string.IsNullOrWhiteSpace(b.Name)) return $"{at}.name: must not be empty";
            if (!names.Add(b.Name)) return $"{at}.name: '{b.Name}' is used twice";
            if (b.CapacityBytes < 1) return $"{at}.capacityBytes: buffer '{b.Name}' must hold at least 1 byte (got {b.CapacityBytes})";
            if (b.CapacityBytes > MaxBufferBytes) return $"{at}.capacityBytes: must be at most {MaxBufferBytes} (1 TiB; got {b.CapacityBytes})";
            if (b.DoubleBuffered && b.CapacityBytes < 2) return $"{at}.capacityBytes: a double-buffered buffer needs at least 2 bytes";
            if (b.Banks is < 1 or > MaxBanks) return $"{at}.banks: must be in 1 .. {MaxBanks} (got {b.Banks})";
            if (b.WidthBits is < 8 or > 65536 || b.WidthBits % 8 != 0) return $"{at}.widthBits: must be a multiple of 8 in 8 .. 65536 (got {b.WidthBits})";
        }
        bool Has(BufferRole role) => buffers.Any(b => b.Role == role || b.Role == BufferRole.Unified);
        if (!Has(BufferRole.Weights)) return "buffers: no buffer holds weights (add role 'weights' or 'unified')";
        if (!Has(BufferRole.Activations)) return "buffers: no buffer holds activations (add role 'activations' or 'unified')";
        return null;
    }

    private static string? Dram(DramSpec? dram) =>
        dram is null ? "dram: missing"
        : dram.CapacityBytes is < 1 ? $"dram.capacityBytes: must be at least 1 byte (got {dram.CapacityBytes})"
        : dram.Validate();

    private static string? Dma(DmaSpec? dma)
    {
        if (dma is null) return "dma: missing";
        if (dma.Engines is < 1 or > 64) return $"dma.engines: must be in 1 .. 64 (got {dma.Engines})";
        if (dma.BurstBytes is < 1 or > MaxBufferBytes) return $"dma.burstBytes: must be in 1 .. {MaxBufferBytes} (got {dma.BurstBytes})";
        return null;
    }

    private static string? Decoders(IReadOnlyList<DecoderSpec>? decoders)
    {
        if (decoders is null) return null;
        for (int i = 0; i < decoders.Count; i++)
        {
            if (WeightDatatypes.FindDecoderKind(decoders[i].Kind) is null)
                return $"decoders[{i}].kind: unknown '{decoders[i].Kind}' (expected one of {string.Join(", ", WeightDatatypes.DecoderKinds.Select(k => k.Name))})";
            if (decoders[i].Count is < 1 or > MaxUnits) return $"decoders[{i}].count: must be in 1 .. {MaxUnits} (got {decoders[i].Count})";
        }
        return null;
    }

    private static string? VectorUnit(VectorUnitSpec? unit) =>
        unit is null ? "vectorUnit: missing"
        : unit.Lanes is < 1 or > MaxUnits ? $"vectorUnit.lanes: must be in 1 .. {MaxUnits} (got {unit.Lanes})"
        : null;

    private static string? Formats(AcceleratorSpec spec)
    {
        string? Unsupported(string field, string? weights) => weights is null || spec.Pe.WeightTypes.Contains(weights) ? null
            : $"{field}: '{weights}' is not a weight type the PE supports (pe.weightTypes: {string.Join(", ", spec.Pe.WeightTypes)})";
        if ((Unsupported("defaultWeights", spec.DefaultWeights) ?? Unsupported("decodeWeights", spec.DecodeWeights)) is { } unsupported)
            return unsupported;
        if (!WeightDatatypes.TryGet(spec.KvCache, out var kv, out string? problem))
            return $"kvCache: {problem}";
        // Attention multiplies by the KV cache in the weight operand's place, so a serial PE walks its bits too.
        if (spec.Pe.CannotExecute(kv) is { } reason) return $"kvCache: {reason}";
        return null;
    }
}
