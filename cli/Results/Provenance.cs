using System.Reflection;
using HwSim.Arch.Spec;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HwSim.Cli.Results;

/// <summary>
/// What produced a result: the HwSim version, the commit it was built from, and the SHA-256 of the canonical JSON
/// of the fully resolved inputs (design, workload, plan, cost table, ...). Two results with the same
/// <see cref="InputsSha256"/> came from the same inputs, whatever file names or option spellings were used.
/// </summary>
public sealed record Provenance(string Version, string Commit, string InputsSha256)
{
    private static readonly string InformationalVersion =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The HwSim release version (e.g. 0.1.0).</summary>
    public static string ToolVersion => InformationalVersion.Split('+')[0];

    /// <summary>The git commit the build came from, as the SDK's source-link stamps it, or "unknown".</summary>
    public static string ToolCommit => InformationalVersion.Split('+') is [_, var commit, ..] ? commit : "unknown";

    /// <summary>Provenance of a result computed from <paramref name="inputs"/> (names to resolved values).</summary>
    public static Provenance Of(ProvenanceInputs inputs) => new(ToolVersion, ToolCommit, inputs.Sha256());
}

/// <summary>
/// The resolved inputs of a run, by name, each a JSON value. Hashed canonically: object keys sorted by ordinal,
/// no whitespace, so field order and formatting of the user's files do not change the hash, their values do.
/// </summary>
public sealed class ProvenanceInputs
{
    private readonly SortedDictionary<string, JsonNode?> inputs = new(StringComparer.Ordinal);

    public ProvenanceInputs Add(string name, JsonNode? value)
    {
        inputs[name] = value?.DeepClone();
        return this;
    }

    /// <summary>Adds a value serialized with <paramref name="options"/> (e.g. the accelerator spec's StrictJson options).</summary>
    public ProvenanceInputs Add<T>(string name, T value, JsonSerializerOptions options) =>
        Add(name, JsonSerializer.SerializeToNode(value, options));

    /// <summary>Adds a file by the SHA-256 of its bytes (for inputs such as a checkpoint or a CSV table).</summary>
    public ProvenanceInputs AddFile(string name, string path)
    {
        using var stream = File.OpenRead(path);
        return Add(name, JsonValue.Create(Convert.ToHexStringLower(SHA256.HashData(stream))));
    }

    public JsonObject ToJson()
    {
        var root = new JsonObject();
        foreach (var (name, value) in inputs) root[name] = Canonical(value);
        return root;
    }

    public string Sha256() => CanonicalJson.Sha256(ToJson());

    private static JsonNode? Canonical(JsonNode? node) => CanonicalJson.Canonical(node);
}
