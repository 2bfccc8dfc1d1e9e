using System.Text.Json.Nodes;
using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Sweep;

/// <summary>
/// One point of a study, fully resolved: its index in the study's enumeration, the design as the study names it, the
/// value of every axis, the accelerator with the path edits applied and validated, the workload request, the weight
/// formats, and the SHA-256 of the canonical resolved inputs that keys it in the store.
/// </summary>
public sealed record SweepPoint(
    long Index,
    string Design,
    IReadOnlyList<(string Axis, JsonNode? Value)> Values,
    AcceleratorSpec Spec,
    TraceRequest Request,
    RunFormats Formats,
    JsonObject Inputs,
    string Hash)
{
    /// <summary>"design=bitmod, array.rows=32, model=opt-1.3b" for messages.</summary>
    public string Label => string.Join(", ", Values.Select(v => $"{v.Axis}={ValueText(v.Value)}").Prepend($"design={Design}"));

    /// <summary>The axis values as one JSON object in column order (stored with the point).</summary>
    public JsonObject AxesJson()
    {
        var o = new JsonObject();
        foreach (var (axis, value) in Values) o[axis] = value?.DeepClone();
        return o;
    }

    /// <summary>A value as it appears in a table: strings unquoted, anything else as compact JSON.</summary>
    public static string ValueText(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => value.ToJsonString(),
    };
}
