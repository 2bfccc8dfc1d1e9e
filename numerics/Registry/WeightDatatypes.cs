using System.Collections.Concurrent;

namespace HwSim.Numerics.Registry;

/// <summary>
/// The datatype registry: every family descriptor, and lookup of datatypes by name (parametric names such as
/// <c>int4-g64</c> included). Simulators, cost models, exporters and the quantize study all read datatypes from here.
/// </summary>
public static class WeightDatatypes
{
    /// <summary>The registered families, in the order users see them listed.</summary>
    public static readonly IReadOnlyList<IDatatypeFamily> Families =
    [
        new IntFamily(), new MiniFloatFamily(), new FlintFamily(), new PotFamily(), new AntFamily(), new OvpFamily(),
        new BitmodFamily(), new MxFamily(), new Nvfp4Family(), new Fp16Family(),
    ];

    private static readonly ConcurrentDictionary<string, WeightDatatype> Cache = new(StringComparer.Ordinal);

    /// <summary>Every family's canonical instances.</summary>
    public static IReadOnlyList<WeightDatatype> All { get; } = [.. Families.SelectMany(f => f.CanonicalNames).Select(Get)];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(d => d.Name)];

    /// <summary>The names every family accepts, e.g. for help texts ("intN, intN-asym, intN-gG (N = 2..8), fp3, …").</summary>
    public static string Grammar => string.Join(", ", Families.Select(f => f.Grammar));

    /// <summary>The decoder kinds accelerator descriptions may place at the array edge.</summary>
    public static IReadOnlyList<DecoderKind> DecoderKinds { get; } =
        [.. Families.SelectMany(f => f.DecoderKinds).DistinctBy(k => k.Name)];

    public static DecoderKind? FindDecoderKind(string name) => DecoderKinds.FirstOrDefault(k => k.Name == name);

    /// <summary>The datatype <paramref name="name"/> names (exact spelling); throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static WeightDatatype Get(string name) =>
        TryGet(name, out var datatype, out string? problem) ? datatype : throw new FormatException(problem);

    public static bool TryGet(string name, out WeightDatatype datatype) => TryGet(name, out datatype, out _);

    public static bool TryGet(string name, out WeightDatatype datatype, out string? problem)
    {
        problem = null;
        if (Cache.TryGetValue(name, out datatype!)) return true;
        try
        {
            foreach (var family in Families)
            {
                if (family.Parse(name) is not { } parsed) continue;
                datatype = Cache.GetOrAdd(name, parsed);
                return true;
            }
            problem = $"unknown datatype '{name}' (known: {Grammar})";
        }
        catch (FormatException e)
        {
            problem = e.Message;
        }
        datatype = null!;
        return false;
    }

    /// <summary>The datatype's stable header id (<see cref="DatatypeIds"/>), or null when it has none.</summary>
    public static int? StableId(string name) => DatatypeIds.Of(name);
}
