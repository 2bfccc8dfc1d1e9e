using System.Text.Json.Serialization;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Formats;

namespace HwSim.Arch.Pe;

/// <summary>
/// One processing element: a dot product of <see cref="DotProductWidth"/> weight × activation pairs per step, the
/// weight datatypes it executes, its activation datatype and its accumulator width. Each PE kind is one record
/// deriving from this (chosen by <c>"kind"</c> in JSON and owning its own fields): it says which datatypes it can
/// execute, how many cycles a step takes in closed form, and supplies the arithmetic the detailed simulator runs.
/// </summary>
[ModelFamily("kind")]
public abstract record PeSpec(
    int DotProductWidth,
    IReadOnlyList<string> WeightTypes,
    string ActivationType = "fp16",
    int AccumulatorBits = 32)
{
    private static readonly HashSet<string> ActivationTypes = ["fp16", "bf16", "int8", "int16"];

    /// <summary>Width of the activation operand, as the run formats store it (fp16/bf16/int16: 16, int8: 8).</summary>
    [JsonIgnore]
    public int ActivationBits => StorageFormat.Parse(ActivationType).ElementBits;

    /// <summary>Whether activations are floating point (fp16, bf16) rather than integers.</summary>
    [JsonIgnore]
    public bool FloatActivations => ActivationType is "fp16" or "bf16";

    /// <summary>The registered name of this PE kind ("bitSerial", …) and its stable header id.</summary>
    [JsonIgnore]
    public NamedModel Model => NamedModels.For(GetType());

    /// <summary>
    /// Cycles one dot-product step takes with weights (or KV cache) of <paramref name="weights"/>, in closed form
    /// from the datatype's values. The datapath derives the same number from the work it performs; the tests hold
    /// the two equal.
    /// </summary>
    public abstract int CyclesPerStep(WeightDatatype weights);

    /// <summary>Why this PE cannot execute <paramref name="weights"/>, or null when it can.</summary>
    public abstract string? CannotExecute(WeightDatatype weights);

    /// <summary>The PE's serial or parallel arithmetic, as the detailed simulator runs it.</summary>
    public abstract IPeArithmetic Arithmetic();

    /// <summary>The kind's own parameters as "pe.field: reason", or null when valid.</summary>
    protected abstract string? ValidateKind();

    /// <summary>The first problem as "pe.field: reason", or null.</summary>
    public string? Validate()
    {
        if (DotProductWidth is < 1 or > 64) return $"pe.dotProductWidth: must be in 1 .. 64 (got {DotProductWidth})";
        if (AccumulatorBits is < 8 or > 64) return $"pe.accumulatorBits: must be in 8 .. 64 (got {AccumulatorBits})";
        if (!ActivationTypes.Contains(ActivationType))
            return $"pe.activationType: unknown '{ActivationType}' (expected one of {string.Join(", ", ActivationTypes)})";
        if (ValidateKind() is { } invalid) return invalid;
        if (WeightTypes is null || WeightTypes.Count == 0) return "pe.weightTypes: must name at least one weight datatype";
        for (int i = 0; i < WeightTypes.Count; i++)
        {
            if (!WeightDatatypes.TryGet(WeightTypes[i], out var datatype, out string? problem))
                return $"pe.weightTypes[{i}]: {problem}";
            if (CannotExecute(datatype) is { } reason) return $"pe.weightTypes[{i}]: {reason}";
        }
        return null;
    }

    /// <summary>Every registered kind at its narrowest (each kind's static <c>Reference</c>), in stable-id order.</summary>
    public static IReadOnlyList<PeSpec> References() =>
        [.. NamedModels.Of<PeSpec>().Select(m => (PeSpec)(m.Type.GetProperty(nameof(BitParallelPe.Reference))?.GetValue(null)
            ?? throw new InvalidOperationException($"PE kind {m.Name} declares no static Reference")))];

    /// <summary>The kind's header parameters with this PE's values (see <see cref="PeHeaderParameterAttribute"/>).</summary>
    [JsonIgnore]
    public IReadOnlyList<PeHeaderParameter> HeaderParameters => PeHeaderParameter.Of(this);
}
