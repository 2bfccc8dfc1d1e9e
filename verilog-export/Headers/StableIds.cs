using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.VerilogExport.Headers;

/// <summary>
/// The numeric ids the headers give enumerations. They are part of the header format: append new entries at the
/// end, never reorder, so that RTL and firmware built against an older header keep their meaning.
/// </summary>
public static class StableIds
{
    /// <summary>Weight datatype ids: the registry's append-only list (<see cref="DatatypeIds"/>).</summary>
    public static IReadOnlyList<string> WeightTypes => DatatypeIds.Order;

    /// <summary>The weight datatype ids of header format version 1; headers always enumerate at least these.</summary>
    public const int FormatVersion1WeightTypes = 11;

    public static readonly IReadOnlyList<string> ActivationTypes = ["fp16", "bf16", "int8", "int16"];

    /// <summary>The linear ops the tracer names; a precision plan addresses ops by these.</summary>
    public static readonly IReadOnlyList<string> LinearOps =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "fc1", "fc2", "lm_head"];

    public static readonly IReadOnlyList<BufferRole> BufferRoles =
        [BufferRole.Weights, BufferRole.Activations, BufferRole.Outputs, BufferRole.Unified];

    /// <summary>"ovp4-flint" → "OVP4_FLINT": the identifier form of a name in all three headers.</summary>
    public static string Identifier(string name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        foreach (char c in name) text.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        return text.ToString();
    }

    public static int WeightType(string name) => DatatypeIds.Of(name)
        ?? throw new InvalidDataException($"weight datatype '{name}' has no stable header id (append it to DatatypeIds.Order)");

    private static int IndexOf(IReadOnlyList<string> list, string name)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == name) return i;
        return -1;
    }

    public static int IndexOfOp(string op) => IndexOf(LinearOps, op);

    public static int ActivationType(string name) => IndexOf(ActivationTypes, name);
}
