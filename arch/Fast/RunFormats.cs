using HwSim.Arch.Spec;
using HwSim.Numerics.Formats;

namespace HwSim.Arch.Fast;

/// <summary>
/// Operand formats of a run: weights and KV cache are datatypes the PE executes; activations are stored as the PE's
/// activation type. <see cref="WeightStorage"/> may override the weights' bits per weight (e.g. a mixed-precision
/// average from a paper's setup).
/// </summary>
public sealed record RunFormats(WeightDatatype Weights, WeightDatatype KvCache, StorageFormat Activations, StorageFormat? WeightStorage = null)
{
    public StorageFormat WeightBytes => WeightStorage ?? Weights.Storage;

    public static RunFormats Default(AcceleratorSpec spec, string? weights = null)
    {
        string name = weights ?? spec.DefaultWeights;
        if (!spec.Pe.WeightTypes.Contains(name))
            throw new ArgumentException($"weights: '{name}' is not a weight type {spec.Name}'s PE supports ({string.Join(", ", spec.Pe.WeightTypes)})");
        return new RunFormats(WeightDatatypes.Get(name), WeightDatatypes.Get(spec.KvCache), StorageFormat.Parse(spec.Pe.ActivationType));
    }
}
