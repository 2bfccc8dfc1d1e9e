using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Formats;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// The weights of one phase: the datatype the PE executes, and the bits stored per weight. <see cref="Storage"/> may
/// replace the datatype's own (e.g. a mixed-precision average from a paper's setup).
/// </summary>
public sealed record PhaseWeights(WeightDatatype Datatype, StorageFormat? Storage = null)
{
    public StorageFormat Bytes => Storage ?? Datatype.Storage;
}

/// <summary>
/// Operand formats of a run: weights per phase (<see cref="Prefill"/>, <see cref="Decode"/>) and the KV cache are
/// datatypes the PE executes; activations are stored as the PE's activation type. Ops outside the LLM phases (a
/// SCALE-Sim topology) run the prefill weights. <see cref="PerOp"/>, from a precision plan, gives individual linear
/// ops of a phase their own weight datatype (by layer and the op's name within it); ops it does not name run their
/// phase's weights.
/// </summary>
public sealed record RunFormats(PhaseWeights Prefill, PhaseWeights Decode, WeightDatatype KvCache, StorageFormat Activations)
{
    public IReadOnlyDictionary<(Phase Phase, int Layer, string Op), WeightDatatype>? PerOp { get; init; }

    /// <summary>Whether both phases run the same weights (datatype and storage).</summary>
    public bool SamePhases => Prefill == Decode;

    /// <summary>The weights ops of <paramref name="phase"/> run unless the plan names them.</summary>
    public PhaseWeights In(Phase phase) => phase == Phase.Decode ? Decode : Prefill;

    /// <summary>The weight datatype op <paramref name="op"/> runs.</summary>
    public WeightDatatype WeightsFor(TraceOp op) =>
        PerOp is not null && PerOp.TryGetValue(Key(op), out var datatype) ? datatype : In(op.Phase).Datatype;

    /// <summary>The storage of op <paramref name="op"/>'s weights.</summary>
    public StorageFormat WeightBytesFor(TraceOp op) =>
        PerOp is not null && PerOp.TryGetValue(Key(op), out var datatype) ? datatype.Storage : In(op.Phase).Bytes;

    private static (Phase, int, string) Key(TraceOp op) => (WeightPhases.Of(op.Phase), op.Layer, op.LocalName);

    /// <summary>
    /// The description's formats: <paramref name="prefill"/> and <paramref name="decode"/> replace its default
    /// weights of that phase (a datatype given for prefill only applies to decode too).
    /// </summary>
    public static RunFormats Default(AcceleratorSpec spec, string? prefill = null, string? decode = null)
    {
        string prefillName = prefill ?? spec.WeightsFor(Phase.Prefill);
        string decodeName = decode ?? prefill ?? spec.WeightsFor(Phase.Decode);
        return new RunFormats(new PhaseWeights(Supported(spec, prefillName, "weights")), new PhaseWeights(Supported(spec, decodeName, "weights")),
            WeightDatatypes.Get(spec.KvCache), StorageFormat.Parse(spec.Pe.ActivationType));
    }

    /// <summary>The default formats with every op a plan names running the plan's datatype in the phases its entry covers.</summary>
    public static RunFormats FromPlan(AcceleratorSpec spec, PrecisionPlan plan)
    {
        var perOp = new Dictionary<(Phase, int, string), WeightDatatype>();
        foreach (var entry in plan.Entries)
        {
            var datatype = Supported(spec, entry.Weights, $"plan: layer {entry.Layer} {entry.Op}");
            foreach (var phase in WeightPhases.Covered(entry.Phase)) perOp[(phase, entry.Layer, entry.Op)] = datatype;
        }
        return Default(spec) with { PerOp = perOp };
    }

    private static WeightDatatype Supported(AcceleratorSpec spec, string name, string field) =>
        spec.Pe.WeightTypes.Contains(name) ? WeightDatatypes.Get(name)
        : throw new ArgumentException($"{field}: '{name}' is not a weight type {spec.Name}'s PE supports ({string.Join(", ", spec.Pe.WeightTypes)})");
}
