using HwSim.Arch.Datapath;
using HwSim.Arch.Memory;
using HwSim.Arch.Pe;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Numerics.Gemm;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Tracing;

namespace HwSim.VerilogExport.Headers;

/// <summary>
/// Turns an accelerator description (and optionally a precision plan) into the header model. A description the
/// headers cannot carry (a value beyond its C type, a buffer that is not a whole number of words, a plan entry the
/// PE cannot run) is rejected with <see cref="InvalidDataException"/> naming the field.
/// </summary>
public static class HeaderModelBuilder
{
    /// <summary>Layer and op ids that mean "every layer" / "outside the decoder layers" / "every op" in the schedule.</summary>
    public const int EveryLayer = 0xFFFF, OutsideLayers = 0xFFFE, EveryOp = 0xFF;

    /// <summary>Bumped whenever a name's meaning changes; RTL can assert the version it was written for.</summary>
    public const int FormatVersion = 1;

    public static HeaderModel Build(AcceleratorSpec spec, PrecisionPlan? plan = null)
    {
        if (AcceleratorSpecValidator.Validate(spec) is { } problem) throw new InvalidDataException(problem);
        CheckExpressible(spec);
        var sections = new List<HeaderSection>
        {
            Design(spec, plan),
            Enumerations(WeightTypeCount(spec, plan)),
            Array(spec.Array),
            ProcessingElement(spec, WeightTypeCount(spec, plan)),
            Buffers(spec.Buffers),
            Memory(spec),
            Decoders(spec),
            Codebooks(spec.Pe),
            Schedule(spec, plan),
        };
        var model = new HeaderModel(spec.Name, spec.Source, sections);
        CheckRepresentable(model);
        return model;
    }

    private static void CheckExpressible(AcceleratorSpec spec)
    {
        // The C header types operands with <stdint.h> fixed-width integers; nothing wider than 64 bits exists there.
        if (spec.Pe.AccumulatorBits > 64)
            throw new InvalidDataException($"pe.accumulatorBits: {spec.Pe.AccumulatorBits} bits cannot be exported: the C header's widest fixed-width type is 64 bits");
        for (int i = 0; i < spec.Pe.WeightTypes.Count; i++)
        {
            int? id = DatatypeIds.Of(spec.Pe.WeightTypes[i]);
            if (id is null)
                throw new InvalidDataException($"pe.weightTypes[{i}]: '{spec.Pe.WeightTypes[i]}' has no stable header id (append it to DatatypeIds.Order)");
            if (id >= DatatypeIds.MaxIds)
                throw new InvalidDataException($"pe.weightTypes[{i}]: header id {id} does not fit PE_WEIGHT_TYPES_MASK (64 bits)");
        }
        if (DatatypeIds.Of(spec.KvCache) is null)
            throw new InvalidDataException($"kvCache: '{spec.KvCache}' has no stable header id (append it to DatatypeIds.Order)");
        for (int i = 0; i < spec.Buffers.Count; i++)
        {
            var buffer = spec.Buffers[i];
            if (!char.IsAsciiLetter(buffer.Name.FirstOrDefault()))
                throw new InvalidDataException($"buffers[{i}].name: '{buffer.Name}' must start with a letter to become a parameter name");
            long bankBits = (long)buffer.Banks * buffer.WidthBits;
            // 128-bit: the check must not overflow on the capacities the validator lets through.
            if ((Int128)buffer.CapacityBytes * 8 % bankBits != 0)
                throw new InvalidDataException($"buffers[{i}].capacityBytes: {buffer.CapacityBytes} bytes is not a whole number of {buffer.Banks} banks × {buffer.WidthBits}-bit words, so the headers cannot state a depth");
        }
    }

    private static HeaderSection Design(AcceleratorSpec spec, PrecisionPlan? plan)
    {
        string hash = ConfigHash.Sha256(spec, plan);
        long periodPs = (1_000_000 + spec.ClockMhz / 2) / spec.ClockMhz;
        bool exact = 1_000_000 % spec.ClockMhz == 0;
        return new("Design",
        [
            new("PARAMS_FORMAT_VERSION", FormatVersion, "version", "header format version (names and meanings)"),
            new("CLOCK_FREQ_MHZ", spec.ClockMhz, "MHz", "core clock frequency"),
            new("CLOCK_PERIOD_PS", periodPs, "ps",
                exact ? "core clock period" : $"core clock period rounded to the nearest ps (exact: 1e6/{spec.ClockMhz} ps)"),
        ],
        [
            new("CONFIG_HASH", ConfigHashWords(hash), 32, Signed: false, "SHA-256",
                $"SHA-256 {hash} of the canonical design and plan JSON; element i is bits [32i +: 32] of the digest read as one 256-bit number"),
        ]);
    }

    /// <summary>The digest as 8 32-bit words, least significant first, so the packed vector reads as the digest.</summary>
    public static IReadOnlyList<long> ConfigHashWords(string hexDigest)
    {
        byte[] bytes = Convert.FromHexString(hexDigest);
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - 4 * (i + 1), 4)))];
    }

    /// <summary>
    /// How many weight datatype ids the headers enumerate: the format-version-1 ids always, and beyond them up to the
    /// highest id the design or its plan uses, so a design of version-1 datatypes exports the same headers as before.
    /// </summary>
    private static int WeightTypeCount(AcceleratorSpec spec, PrecisionPlan? plan)
    {
        var names = spec.Pe.WeightTypes.Append(spec.DefaultWeights).Append(spec.KvCache).Concat(plan?.Entries.Select(e => e.Weights) ?? []);
        return Math.Max(StableIds.FormatVersion1WeightTypes, names.Max(n => DatatypeIds.Of(n) ?? -1) + 1);
    }

    private static HeaderSection Enumerations(int weightTypes)
    {
        var scalars = new List<HeaderScalar>
        {
            new("DATAFLOW_WS", 0, "enum", "weight-stationary"),
            new("DATAFLOW_OS", 1, "enum", "output-stationary"),
            new("DATAFLOW_IS", 2, "enum", "input-stationary"),
            new("INTERCONNECT_SYSTOLIC", 0, "enum", "operands move one PE per cycle (skewed fill and drain)"),
            new("INTERCONNECT_BROADCAST", 1, "enum", "a row or column is driven at once"),
        };
        foreach (var kind in NamedModels.Of<PeSpec>())
            scalars.Add(new(PeKindSymbol(kind), kind.StableId, "enum", kind.Description));
        for (int i = 0; i < weightTypes; i++)
            scalars.Add(new($"WTYPE_{StableIds.Identifier(StableIds.WeightTypes[i])}", i, "enum", $"weight datatype {StableIds.WeightTypes[i]}"));
        scalars.Add(new("NUM_WTYPES", weightTypes, "count", "weight datatype ids 0 .. NUM_WTYPES-1"));
        for (int i = 0; i < StableIds.ActivationTypes.Count; i++)
            scalars.Add(new($"ACT_TYPE_{StableIds.Identifier(StableIds.ActivationTypes[i])}", i, "enum", $"activation datatype {StableIds.ActivationTypes[i]}"));
        for (int i = 0; i < StableIds.BufferRoles.Count; i++)
            scalars.Add(new($"BUF_ROLE_{StableIds.Identifier(StableIds.BufferRoles[i].ToString())}", i, "enum", $"buffer holding {StableIds.BufferRoles[i].ToString().ToLowerInvariant()}"));
        for (int i = 0; i < StableIds.LinearOps.Count; i++)
            scalars.Add(new($"OP_{StableIds.Identifier(StableIds.LinearOps[i])}", i, "enum", $"linear op {StableIds.LinearOps[i]}"));
        scalars.Add(new("PLAN_EVERY_LAYER", EveryLayer, "enum", "PLAN_LAYER value meaning every layer"));
        scalars.Add(new("PLAN_OUTSIDE_LAYERS", OutsideLayers, "enum", "PLAN_LAYER value of ops outside the decoder layers (lm_head)"));
        scalars.Add(new("PLAN_EVERY_OP", EveryOp, "enum", "PLAN_OP value meaning every linear op"));
        return new("Enumerations (stable ids)", scalars, []);
    }

    /// <summary>"bitSerial" → "PE_KIND_BIT_SERIAL".</summary>
    private static string PeKindSymbol(NamedModel kind) =>
        "PE_KIND_" + string.Concat(kind.Name.Select(c => char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    private static HeaderSection Array(ArraySpec array)
    {
        string dataflow = $"DATAFLOW_{array.Dataflow.ToString().ToUpperInvariant()}";
        string interconnect = $"INTERCONNECT_{array.Interconnect.ToString().ToUpperInvariant()}";
        return new("PE array",
        [
            new("ARRAY_ROWS", array.Rows, "PEs", "array rows (GEMM dimension Sr of the dataflow)"),
            new("ARRAY_COLS", array.Cols, "PEs", "array columns (GEMM dimension Sc of the dataflow)"),
            new("ARRAY_DATAFLOW", (int)array.Dataflow, "enum", "which operand stays in the PEs", Symbol: dataflow),
            new("ARRAY_INTERCONNECT", (int)array.Interconnect, "enum", "how operands reach the PEs", Symbol: interconnect),
        ], []);
    }

    private static HeaderSection ProcessingElement(AcceleratorSpec spec, int weightTypes)
    {
        var pe = spec.Pe;
        var supported = pe.WeightTypes.Select(WeightDatatypes.Get).ToArray();
        long mask = 0;
        foreach (var datatype in supported) mask |= 1L << StableIds.WeightType(datatype.Name);
        int valueBits = supported.Max(d => d.TwosComplementBits);
        int activationId = StableIds.ActivationType(pe.ActivationType);

        var storageBits = new long[weightTypes];
        var groupSize = new long[storageBits.Length];
        var groupOverhead = new long[storageBits.Length];
        var cycles = new long[storageBits.Length];
        for (int id = 0; id < storageBits.Length; id++)
        {
            var datatype = WeightDatatypes.Get(StableIds.WeightTypes[id]);
            storageBits[id] = datatype.Storage.ElementBits;
            groupSize[id] = datatype.Storage.GroupSize;
            groupOverhead[id] = datatype.Storage.GroupOverheadBits;
            if ((mask >> id & 1) != 0) cycles[id] = pe.CyclesPerStep(datatype);
        }
        return new("Processing element",
        [
            new("PE_KIND", pe.Model.StableId, "enum", "how the PE consumes a weight", Symbol: PeKindSymbol(pe.Model)),
            new("PE_DOT_PRODUCT_WIDTH", pe.DotProductWidth, "weight x activation pairs", "pairs per PE per step"),
            .. pe.HeaderParameters.Select(p => new HeaderScalar(p.Name, p.Value, p.Unit, p.Description)),
            new("PE_ACCUMULATOR_BITS", pe.AccumulatorBits, "bits", "accumulator width (two's complement, wraps)"),
            new("PE_ACTIVATION_TYPE", activationId, "enum", "activation datatype", Symbol: $"ACT_TYPE_{StableIds.Identifier(pe.ActivationType)}"),
            new("PE_ACTIVATION_BITS", pe.ActivationBits, "bits", "activation operand width at the PE port"),
            new("PE_WEIGHT_VALUE_BITS", valueBits, "bits", "decoded weight operand width at the PE port (two's complement over every supported type)"),
            new("PE_WEIGHT_TYPES_MASK", mask, "bitmask", "bit WTYPE_x set when the PE executes weight datatype x", ScalarType.Int64),
            new("PE_DEFAULT_WTYPE", StableIds.WeightType(spec.DefaultWeights), "enum", "weight datatype used unless a plan says otherwise",
                Symbol: $"WTYPE_{StableIds.Identifier(spec.DefaultWeights)}"),
            new("PE_DECODE_WTYPE", StableIds.WeightType(spec.WeightsFor(Phase.Decode)), "enum", "weight datatype of decode ops unless a plan says otherwise (PE_DEFAULT_WTYPE runs prefill)",
                Symbol: $"WTYPE_{StableIds.Identifier(spec.WeightsFor(Phase.Decode))}"),
            new("KV_CACHE_WTYPE", StableIds.WeightType(spec.KvCache), "enum", "datatype of the KV cache", Symbol: $"WTYPE_{StableIds.Identifier(spec.KvCache)}"),
        ],
        [
            new("WTYPE_STORAGE_BITS", storageBits, 8, false, "bits", "bits per stored weight code, by WTYPE id"),
            new("WTYPE_GROUP_SIZE", groupSize, 16, false, "weights", "weights sharing one group scale, by WTYPE id (0: none)"),
            new("WTYPE_GROUP_OVERHEAD_BITS", groupOverhead, 8, false, "bits", "bits of per-group data (scale) per group, by WTYPE id"),
            new("PE_CYCLES_PER_STEP", cycles, 8, false, "cycles", "cycles one dot-product step takes, by WTYPE id (0: not executed)"),
        ]);
    }

    private static HeaderSection Buffers(IReadOnlyList<BufferSpec> buffers)
    {
        var scalars = new List<HeaderScalar> { new("NUM_BUFFERS", buffers.Count, "count", "on-chip SRAM buffers") };
        foreach (var buffer in buffers)
        {
            string name = $"BUF_{StableIds.Identifier(buffer.Name)}";
            int role = StableIds.BufferRoles.ToList().IndexOf(buffer.Role);
            scalars.Add(new($"{name}_ROLE", role, "enum", $"what {buffer.Name} holds", Symbol: $"BUF_ROLE_{StableIds.Identifier(buffer.Role.ToString())}"));
            scalars.Add(new($"{name}_CAPACITY_BYTES", buffer.CapacityBytes, "bytes", $"{buffer.Name} capacity", ScalarType.Int64));
            scalars.Add(new($"{name}_BANKS", buffer.Banks, "banks", $"{buffer.Name} banks"));
            scalars.Add(new($"{name}_WIDTH_BITS", buffer.WidthBits, "bits", $"{buffer.Name} word width"));
            scalars.Add(new($"{name}_DEPTH", buffer.CapacityBytes * 8 / ((long)buffer.Banks * buffer.WidthBits), "words",
                $"{buffer.Name} words per bank"));
            scalars.Add(new($"{name}_DOUBLE_BUFFERED", buffer.DoubleBuffered ? 1 : 0, "bool", $"{buffer.Name} fills one half while the other drains"));
        }
        return new("On-chip buffers", scalars, []);
    }

    private static HeaderSection Memory(AcceleratorSpec spec)
    {
        var model = NamedModels.For(spec.Dram.GetType());
        var scalars = new List<HeaderScalar>
        {
            new("DRAM_MODEL", model.StableId, "id", $"DRAM timing model ({string.Join(", ", NamedModels.Of<DramSpec>().Select(m => $"{m.StableId} {m.Name}"))})"),
        };
        scalars.AddRange(spec.Dram.HeaderParameters().Select(p =>
            new HeaderScalar($"DRAM_{p.Name}", p.Value, p.Unit, p.Description, p.Wide ? ScalarType.Int64 : ScalarType.Int32)));
        scalars.Add(new("DMA_ENGINES", spec.Dma.Engines, "engines", "transfers in flight at once"));
        scalars.Add(new("DMA_BURST_BYTES", spec.Dma.BurstBytes, "bytes", "DMA burst size", ScalarType.Int64));
        scalars.Add(new("VECTOR_LANES", spec.VectorUnit.Lanes, "lanes", "element operations per cycle of the vector unit"));
        return new("DRAM, DMA and vector unit", scalars, []);
    }

    private static HeaderSection Decoders(AcceleratorSpec spec)
    {
        var scalars = new List<HeaderScalar> { new("NUM_DECODER_KINDS", spec.Decoders.Count, "count", "kinds of weight decoder at the array edge") };
        foreach (var decoder in spec.Decoders)
            scalars.Add(new($"DECODER_{StableIds.Identifier(decoder.Kind)}_COUNT", decoder.Count, "decoders", $"{decoder.Kind} decoders at the array edge"));
        if (spec.Pe.WeightTypes.Any(t => WeightDatatypes.Get(t).DecoderUnit == OvpPairDecoderUnit.Kind))
            scalars.Add(new("OVP_PAIR_DECODER_LATENCY_CYCLES", OvpPairDecoderUnit.LatencyCycles, "cycles",
                "code pair in to value pair out (registered output, one pair per cycle)"));
        return new("Weight decoders", scalars, []);
    }

    /// <summary>The tables and constants the decoders of the PE's datatypes need, each name once, in the PE's order.</summary>
    private static HeaderSection Codebooks(PeSpec pe)
    {
        var rtl = pe.WeightTypes.Select(t => WeightDatatypes.Get(t).Rtl).ToArray();
        var scalars = rtl.SelectMany(r => r.Constants).DistinctBy(c => c.Name).Select(c => new HeaderScalar(c.Name, c.Value, c.Unit, c.Description)).ToList();
        var tables = rtl.SelectMany(r => r.Tables).DistinctBy(t => t.Name)
            .Select(t => new HeaderTable(t.Name, [.. t.Values], IntegerGemm.TwosComplementBits(t.Values), true, "integer units", t.Description)).ToList();
        return new("Datatype codebooks (signed two's-complement integers in the datatype's integer units; value = entry x group or tensor scale; codes with no value read 0)",
            scalars, tables);
    }

    private static HeaderSection Schedule(AcceleratorSpec spec, PrecisionPlan? plan)
    {
        var entries = plan?.Entries ?? [new PlanEntry(EveryLayer, "", spec.DefaultWeights)];
        var layers = new long[entries.Count];
        var ops = new long[entries.Count];
        var wtypes = new long[entries.Count];
        var cycles = new long[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (plan is not null)
            {
                if (entry.Layer < PrecisionPlan.OutsideLayers || entry.Layer >= OutsideLayers)
                    throw new InvalidDataException($"plan entries[{i}].layer: must be in {PrecisionPlan.OutsideLayers} .. {OutsideLayers - 1} (got {entry.Layer})");
                if (StableIds.IndexOfOp(entry.Op) < 0)
                    throw new InvalidDataException($"plan entries[{i}].op: '{entry.Op}' is not a linear op (known: {string.Join(", ", StableIds.LinearOps)})");
                // One datatype per (layer, op) for both phases; a per-phase schedule would need a phase column.
                if (entry.Phase is not null)
                    throw new InvalidDataException($"plan entries[{i}].phase: the exported schedule applies each entry to both phases; give entries without a phase");
                if (!spec.Pe.WeightTypes.Contains(entry.Weights))
                    throw new InvalidDataException($"plan entries[{i}].weights: '{entry.Weights}' is not a weight type the PE of {spec.Name} supports ({string.Join(", ", spec.Pe.WeightTypes)})");
            }
            layers[i] = entry.Layer == PrecisionPlan.OutsideLayers && plan is not null ? OutsideLayers : entry.Layer;
            ops[i] = plan is null ? EveryOp : StableIds.IndexOfOp(entry.Op);
            wtypes[i] = StableIds.WeightType(entry.Weights);
            cycles[i] = spec.Pe.CyclesPerStep(WeightDatatypes.Get(entry.Weights));
        }
        string origin = plan is not null ? $"plan for {plan.Model} on {plan.Arch}"
            : spec.DecodeWeights is null ? "no plan: every linear op runs PE_DEFAULT_WTYPE"
            : "no plan: linear ops run PE_DEFAULT_WTYPE in prefill, PE_DECODE_WTYPE in decode";
        return new($"Per-layer precision schedule ({origin})",
            [new("PLAN_ENTRIES", entries.Count, "entries", "rows of the PLAN_* tables")],
            [
                new("PLAN_LAYER", layers, 16, false, "layer", "decoder layer of each entry (PLAN_EVERY_LAYER: all; PLAN_OUTSIDE_LAYERS: lm_head)"),
                new("PLAN_OP", ops, 8, false, "enum", "OP_* id of each entry (PLAN_EVERY_OP: all)"),
                new("PLAN_WTYPE", wtypes, 8, false, "enum", "WTYPE_* id of each entry"),
                new("PLAN_CYCLES_PER_STEP", cycles, 8, false, "cycles", "PE cycles per dot-product step of each entry"),
            ]);
    }

    private static void CheckRepresentable(HeaderModel model)
    {
        var seen = new HashSet<string>();
        foreach (string name in model.Names())
            if (!seen.Add(name)) throw new InvalidDataException($"parameter name {name} is produced twice (two buffers or decoders whose names differ only in punctuation?)");
        foreach (var scalar in model.Scalars)
            if (scalar.Type == ScalarType.Int32 && scalar.Value is < int.MinValue or > int.MaxValue)
                throw new InvalidDataException($"{scalar.Name}: {scalar.Value} does not fit the parameter's 32-bit type");
        foreach (var table in model.Tables)
        {
            long min = table.Signed ? -(1L << (table.ElementBits - 1)) : 0;
            long max = table.Signed ? (1L << (table.ElementBits - 1)) - 1 : (1L << table.ElementBits) - 1;
            foreach (long value in table.Values)
                if (value < min || value > max)
                    throw new InvalidDataException($"{table.Name}: {value} does not fit its {table.ElementBits}-bit elements");
        }
    }
}
