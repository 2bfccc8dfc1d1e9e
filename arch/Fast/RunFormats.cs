using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Numerics.Datatypes;
using HwSim.Numerics.Formats;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Fast;

/// <summary>
/// Operand formats of a run: weights and KV cache are datatypes the PE executes; activations are stored as the PE's
/// activation type. <see cref="WeightStorage"/> may override the weights' bits per weight (e.g. a mixed-precision
/// average from a paper's setup). <see cref="PerOp"/>, from a precision plan, gives individual linear ops their own
/// weight datatype (by layer and the op's name within it); ops it does not name run <see cref="Weights"/>.
/// </summary>
public sealed record RunFormats(WeightDatatype Weights, WeightDatatype KvCache, StorageFormat Activations, StorageFormat? WeightStorage = null)
{
    public StorageFormat WeightBytes => WeightStorage ?? Weights.Storage;

    public IReadOnlyDictionary<(int Layer, string Op), WeightDatatype>? PerOp { get; init; }

    /// <summary>The weight datatype op <paramref name="op"/> runs.</summary>
    public WeightDatatype WeightsFor(TraceOp op) =>
        PerOp is not null && PerOp.TryGetValue((op.Layer, op.LocalName), out var datatype) ? datatype : Weights;

    /// <summary>The storage of op <paramref name="op"/>'s weights.</summary>
    public StorageFormat WeightBytesFor(TraceOp op) =>
        PerOp is not null && PerOp.TryGetValue((op.Layer, op.LocalName), out var datatype) ? datatype.Storage : WeightBytes;

    public static RunFormats Default(AcceleratorSpec spec, string? weights = null)
    {
        string name = weights ?? spec.DefaultWeights;
        if (!spec.Pe.WeightTypes.Contains(name))
            throw new ArgumentException($"weights: '{name}' is not a weight type {spec.Name}'s PE supports ({string.Join(", ", spec.Pe.WeightTypes)})");
        return new RunFormats(WeightDatatypes.Get(name), WeightDatatypes.Get(spec.KvCache), StorageFormat.Parse(spec.Pe.ActivationType));
    }

    /// <summary>The default formats with every op a plan names running the plan's datatype.</summary>
    public static RunFormats FromPlan(AcceleratorSpec spec, PrecisionPlan plan)
    {
        var perOp = new Dictionary<(int, string), WeightDatatype>();
        foreach (var entry in plan.Entries)
        {
            if (!spec.Pe.WeightTypes.Contains(entry.Weights))
                throw new ArgumentException($"plan: layer {entry.Layer} {entry.Op}: '{entry.Weights}' is not a weight type {spec.Name}'s PE supports ({string.Join(", ", spec.Pe.WeightTypes)})");
            perOp[(entry.Layer, entry.Op)] = WeightDatatypes.Get(entry.Weights);
        }
        return Default(spec) with { PerOp = perOp };
    }
}
