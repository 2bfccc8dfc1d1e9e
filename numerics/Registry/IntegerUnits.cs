using System.Globalization;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>Shared construction of datatype descriptors from codebooks.</summary>
internal static class IntegerUnits
{
    /// <summary>Largest power-of-two scale tried: FP8 E5M2's smallest subnormal is 2^-16 (OCP FP8 spec, 2023).</summary>
    private const int MaxUnitExponent = 30;

    /// <summary>
    /// The datatype whose values are every value of <paramref name="codebooks"/> in integer units: the smallest power
    /// of two 2^k that makes all of them integers (FP4 E2M1: 2, half units; OVP8 normals: 4).
    /// </summary>
    public static WeightDatatype Datatype(string name, string family, StorageFormat storage, params Codebook[] codebooks)
    {
        var finite = codebooks.SelectMany(c => c.SortedValues.ToArray()).Where(double.IsFinite).ToArray();
        int unitScale = UnitScale(name, finite);
        var values = new SortedSet<long>(finite.Select(v => checked((long)(v * unitScale))));
        return new WeightDatatype(name, family, storage, [.. values]) { UnitScale = unitScale };
    }

    public static int UnitScale(string name, IReadOnlyList<double> values)
    {
        for (int k = 0; k <= MaxUnitExponent; k++)
        {
            double scale = Math.ScaleB(1.0, k);
            if (values.All(v => v * scale == Math.Round(v * scale))) return 1 << k;
        }
        throw new InvalidOperationException($"{name}: values are not integers in any unit 2^-k, k <= {MaxUnitExponent}");
    }

    /// <summary>A code → value table in integer units; codes without a value (NaN) read 0.</summary>
    public static RtlTable Table(string name, Codebook codebook, int unitScale, string description) =>
        new(name, [.. Enumerable.Range(0, codebook.CodeCount).Select(code => Integer(codebook.Decode(code) * unitScale, name))], description);

    public static RtlTable Table(string name, IEnumerable<double> values, string description) =>
        new(name, [.. values.Select(v => Integer(v, name))], description);

    private static long Integer(double value, string table) =>
        !double.IsFinite(value) ? 0
        : value == Math.Round(value) ? checked((long)value)
        : throw new InvalidOperationException($"{table}: value {value} is not an integer");

    /// <summary>
    /// The width a family's name gives in <paramref name="digits"/>, checked against <paramref name="min"/> ..
    /// <paramref name="max"/>; the error names the datatype and what <paramref name="allowed"/>.
    /// </summary>
    public static int Width(string name, string digits, int min, int max, string allowed)
    {
        int bits = int.Parse(digits, CultureInfo.InvariantCulture);
        return bits >= min && bits <= max ? bits
            : throw new FormatException($"datatype '{name}': width {bits} is not supported ({allowed})");
    }

    public static string UnitNote(int unitScale) => unitScale == 1 ? "" : $" in units of 1/{unitScale}";

    /// <summary>The study name of a group-scaled codebook scheme: "int4" at g128 with MSE clip → "int4-g128-mse".</summary>
    public static string StudyName(string key, Granularity granularity, ClipMode clip) =>
        key + granularity.Suffix + (clip == ClipMode.Mse ? "-mse" : "");

    public static ClipSearch? Search(ClipMode clip) => clip == ClipMode.Mse ? QuantizerCatalog.ShrinkSearch : null;

    /// <summary>A group-scaled codebook quantizer with FP16 scales, as the quantize study and the storage formats use it.</summary>
    public static CodebookQuantizer GroupScaled(Codebook codebook, string key, int groupSize, ClipMode clip, bool asymmetric = false,
        ClipTarget clipTarget = ClipTarget.LargestMagnitude)
    {
        var group = Granularity.Group(groupSize);
        return new CodebookQuantizer(codebook, group, ScaleFormat.Fp16, Search(clip), asymmetric, StudyName(key, group, clip), clipTarget);
    }
}
