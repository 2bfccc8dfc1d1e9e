using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Formats;
using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Reference;

/// <summary>
/// A baseline's mean stored weight bits on one model, as a paper's simulator assumes it (e.g. ANT mixing 4- and 8-bit
/// layers), for the designs whose weights are of datatype family <see cref="Family"/>; <see cref="Phase"/> limits it
/// to prefill or decode (absent: both).
/// </summary>
public sealed record WeightBitsRow(
    string Family,
    string Model,
    decimal Bits,
    string Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Phase? Phase = null)
{
    public bool Covers(Phase phase) => Phase is null || Phase == phase;
}

/// <summary>A paper's published speedup of its design over <see cref="Over"/> (the preset names in <see cref="Designs"/>).</summary>
public sealed record SpeedupRow(string Over, IReadOnlyList<string> Designs, decimal Average, decimal Discriminative, decimal Generative, string Source)
{
    /// <summary>"1.69x (disc. 1.72x, gen. 1.66x)".</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{Average:0.00}x (disc. {Discriminative:0.00}x, gen. {Generative:0.00}x)");
}

/// <summary>
/// The published reference numbers `simulate --compare` uses: the BitMoD paper's speedups and its simulator's
/// per-model baseline weight bits. They live in Reference/bitmod-paper.json (embedded), each row with its source, and
/// are validated at load.
/// </summary>
public sealed record PaperReference(IReadOnlyList<WeightBitsRow> WeightBits, IReadOnlyList<SpeedupRow> Speedups)
{
    /// <summary>Largest denominator of a fractional mean (5.25 = 5 + 1/4 bits): the format is exact up to this.</summary>
    private const int MaxGroupSize = 1 << 16;

    private static readonly Lazy<PaperReference> Embedded = new(() =>
    {
        using var stream = typeof(PaperReference).Assembly.GetManifestResourceStream("bitmod-paper.json")
            ?? throw new InvalidOperationException("embedded resource bitmod-paper.json is missing");
        using var reader = new StreamReader(stream);
        return Read(reader.ReadToEnd(), "bitmod-paper.json");
    });

    /// <summary>The built-in reference numbers.</summary>
    public static PaperReference BitMoD => Embedded.Value;

    /// <summary>Parses and validates; throws <see cref="InvalidDataException"/> with "source: field: reason".</summary>
    public static PaperReference Read(string json, string source)
    {
        var reference = StrictJson.Read<PaperReference>(json, source, "reference numbers");
        if (Validate(reference) is { } problem) throw new InvalidDataException($"{source}: {problem}");
        return reference;
    }

    /// <summary>The first problem as "field.path: reason", or null.</summary>
    public static string? Validate(PaperReference reference)
    {
        var families = WeightDatatypes.Names.Select(n => WeightDatatypes.Get(n).Family).ToHashSet();
        var seen = new HashSet<(string, string, Phase)>();
        for (int i = 0; i < reference.WeightBits.Count; i++)
        {
            var row = reference.WeightBits[i];
            string at = $"weightBits[{i}]";
            if (!families.Contains(row.Family)) return $"{at}.family: unknown datatype family '{row.Family}' (known: {string.Join(", ", families.Order(StringComparer.Ordinal))})";
            if (string.IsNullOrWhiteSpace(row.Model)) return $"{at}.model: must not be empty";
            if (Exact(row.Bits) is null) return $"{at}.bits: must be 1 .. 64 bits, a whole number plus a fraction with denominator at most {MaxGroupSize} (got {row.Bits})";
            if (string.IsNullOrWhiteSpace(row.Source)) return $"{at}.source: every number needs its source";
            if (WeightPhases.Invalid(row.Phase, $"{at}.phase") is { } invalid) return invalid;
            foreach (var covered in WeightPhases.Covered(row.Phase))
                if (!seen.Add((row.Family, row.Model, covered)))
                    return $"{at}: {row.Family} on {row.Model} has two values for {covered.ToString().ToLowerInvariant()}";
        }
        var designs = new HashSet<string>();
        for (int i = 0; i < reference.Speedups.Count; i++)
        {
            var row = reference.Speedups[i];
            string at = $"speedups[{i}]";
            if (string.IsNullOrWhiteSpace(row.Over)) return $"{at}.over: must not be empty";
            if (row.Designs.Count == 0) return $"{at}.designs: must name at least one design";
            foreach (string design in row.Designs)
                if (!designs.Add(design)) return $"{at}.designs: '{design}' has two rows";
            if (row.Average <= 0) return $"{at}.average: must be positive (got {row.Average})";
            if (row.Discriminative <= 0) return $"{at}.discriminative: must be positive (got {row.Discriminative})";
            if (row.Generative <= 0) return $"{at}.generative: must be positive (got {row.Generative})";
            if (string.IsNullOrWhiteSpace(row.Source)) return $"{at}.source: every number needs its source";
        }
        return null;
    }

    /// <summary>The mean weight bits the paper's simulator assumes for a design of <paramref name="family"/> on <paramref name="model"/> in <paramref name="phase"/>, or null.</summary>
    public StorageFormat? WeightBitsFor(string family, string model, Phase phase)
    {
        var row = WeightBits.FirstOrDefault(r => r.Family == family && r.Model == model && r.Covers(WeightPhases.Of(phase)));
        return row is null ? null : Exact(row.Bits) is var (whole, perGroup, groupSize)
            ? new StorageFormat(string.Create(CultureInfo.InvariantCulture, $"{family}-paper-mean-{row.Bits}b"), whole, groupSize, perGroup)
            : null;
    }

    /// <summary>The published speedup over the design named <paramref name="design"/>, or null.</summary>
    public SpeedupRow? SpeedupOver(string design) => Speedups.FirstOrDefault(r => r.Designs.Contains(design));

    /// <summary>
    /// b + p/q bits as a storage format exactly: b bits per weight and p bits per group of q weights (5.25 = 5 + 1/4).
    /// </summary>
    private static (int Whole, int PerGroup, int GroupSize)? Exact(decimal bits)
    {
        if (bits < 1 || bits > 64) return null;
        int whole = (int)decimal.Floor(bits);
        decimal fraction = bits - whole;
        if (fraction == 0) return (whole, 0, 0);
        // A decimal fraction is an integer over a power of ten; scale it up until whole, then reduce.
        long denominator = 1;
        while (fraction != decimal.Truncate(fraction))
        {
            if (denominator >= 1_000_000_000_000_000_000) return null;
            fraction *= 10;
            denominator *= 10;
        }
        long numerator = (long)fraction, divisor = (long)BigInteger.GreatestCommonDivisor(numerator, denominator);
        numerator /= divisor;
        denominator /= divisor;
        return denominator > MaxGroupSize ? null : (whole, (int)numerator, (int)denominator);
    }
}
