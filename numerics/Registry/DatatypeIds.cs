namespace HwSim.Numerics.Registry;

/// <summary>
/// Stable numeric ids of weight datatypes, part of the RTL header format (WTYPE_*): a datatype's id is its index in
/// <see cref="Order"/>. The list is append-only: never reorder or remove, so RTL and firmware built against an older
/// header keep their meaning. A parametric instance (int4-g64, int3-asym) is a name like any other: it has an id once
/// its exact name is appended. Ids stay below 63 because headers carry the PE's datatypes as a 64-bit mask.
/// </summary>
public static class DatatypeIds
{
    public const int MaxIds = 63;

    public static readonly IReadOnlyList<string> Order =
    [
        // Format version 1 (the first 11; unchanged).
        "fp16", "int8", "int6", "int4", "bitmod3", "bitmod4", "ovp4", "ovp4-flint", "ovp8", "ant4", "ant8",
        // Appended with the datatype registry.
        "fp3", "fp4", "fp6_e2m3", "fp6_e3m2", "fp8_e4m3", "fp8_e5m2",
        "mxfp4", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp8_e4m3", "mxfp8_e5m2", "mxint8", "nvfp4",
        "int4-g64", "int4-g32", "int3", "int4-asym", "flint4", "pot4",
        // Appended with the authors' quantizer conventions (GPTQ symmetric INT, OliVe's per-tensor normal choice,
        // BitMoD's FP16-scale form).
        "int4-gptq", "ovp4-auto", "bitmod3-fp16s", "bitmod4-fp16s",
    ];

    private static readonly Dictionary<string, int> ById = Order.Select((name, id) => (name, id)).ToDictionary(p => p.name, p => p.id);

    public static int? Of(string name) => ById.TryGetValue(name, out int id) ? id : null;
}
