using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace HwSim.Arch.Spec;

/// <summary>
/// Canonical JSON for hashing: object keys sorted by ordinal, no whitespace, so the field order and formatting of a
/// user's file do not change the hash, its values do.
/// </summary>
public static class CanonicalJson
{
    public static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    /// <summary>The canonical text of <paramref name="node"/>.</summary>
    public static string Text(JsonNode? node) => Canonical(node)?.ToJsonString() ?? "null";

    /// <summary>SHA-256 of the canonical text (UTF-8), as 64 lowercase hex digits.</summary>
    public static string Sha256(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text(node))));
}
