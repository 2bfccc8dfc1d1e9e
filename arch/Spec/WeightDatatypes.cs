using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Gemm;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Arch.Spec;

/// <summary>
/// A weight datatype as the hardware sees it: how many bits it costs in memory (codes plus per-group data) and the
/// set of integer values (mantissa · 2^exponent, in the datatype's integer units) its decoder can hand to a PE.
/// <see cref="Values"/> is empty for floating-point weights, which only a bit-parallel floating-point PE executes.
/// </summary>
public sealed record WeightDatatype(string Name, string Family, StorageFormat Storage, IReadOnlyList<long> Values)
{
    public bool IsInteger => Values.Count > 0;

    /// <summary>Two's-complement width that holds every value: the digits a bit-serial PE walks through.</summary>
    public int TwosComplementBits =>
        IsInteger ? IntegerGemm.TwosComplementBits([.. Values.Select(v => checked((int)v))]) : Storage.ElementBits;

    /// <summary>
    /// The most signed power-of-two terms any value needs (its non-adjacent-form weight): the cycles a term-serial
    /// PE spends per weight at one term per cycle. FP3/FP4/BitMoD: 2, INT6: 3, INT8: 4 — BitMoD's 4 MACs per 2, 3
    /// and 4 cycles (BitMoD, HPCA 2025, Sec. IV).
    /// </summary>
    public int MaxTerms => IsInteger ? Values.Max(v => NonAdjacentForm.Terms(v).Count) : 0;
}

/// <summary>The weight datatypes accelerator descriptions may name.</summary>
public static class WeightDatatypes
{
    private static readonly Dictionary<string, WeightDatatype> ByName = Build().ToDictionary(d => d.Name);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryGet(string name, out WeightDatatype datatype) => ByName.TryGetValue(name, out datatype!);

    public static WeightDatatype Get(string name) => ByName.TryGetValue(name, out var d) ? d
        : throw new ArgumentException($"unknown weight datatype '{name}' (known: {string.Join(", ", ByName.Keys)})");

    private static IEnumerable<WeightDatatype> Build()
    {
        yield return new("fp16", "fp", StorageFormat.Fp16, []);
        // Per-output-channel scales cost bits per row, not per weight; they are left out of the per-weight width.
        yield return Integer("int8", "int", new StorageFormat("int8", 8), IntegerTypes.Symmetric(8));
        yield return Integer("int6", "int", new StorageFormat("int6", 6), IntegerTypes.Symmetric(6));
        yield return Integer("int4", "int", new StorageFormat("int4-g128", 4, 128, 16), IntegerTypes.Symmetric(4));
        // BitMoD stores its group scale as INT8 after a second-level quantization (paper Sec. IV, after VS-Quant):
        // w + 8/128 bits, as in the paper's simulator (abdelfattah-lab/BitMoD-HPCA-25 @e445a5f); the 2-bit type id is
        // not counted there, and neither is it here.
        yield return Integer("bitmod3", "bitmod", new StorageFormat("bitmod3-g128", 3, 128, 8), BitmodTypes.Candidates(3).ToArray());
        yield return Integer("bitmod4", "bitmod", new StorageFormat("bitmod4-g128", 4, 128, 8), BitmodTypes.Candidates(4).ToArray());
        yield return Integer("ovp4", "ovp", new StorageFormat("ovp4", 4), OvpFormat.Int4.Normal, OvpFormat.Int4.Outlier);
        yield return Integer("ovp4-flint", "ovp", new StorageFormat("ovp4-flint", 4), OvpFormat.Flint4.Normal, OvpFormat.Flint4.Outlier);
        // OVP8 int normals are quarter-integers in OliVe's units (m · 32/128); the PE's integer units are 4× those.
        yield return Integer("ovp8", "ovp", new StorageFormat("ovp8", 8), 4, OvpFormat.Int8.Normal, OvpFormat.Int8.Outlier);
        // ANT picks int, PoT or flint per tensor (ANT, MICRO 2022); its PE decodes any of the three.
        yield return Integer("ant4", "ant", new StorageFormat("ant4", 4),
            AntTypes.Int(4, signed: true), AntTypes.PowerOfTwo(4, signed: true), AntTypes.Flint(4, signed: true));
        yield return Integer("ant8", "ant", new StorageFormat("ant8", 8), AntTypes.Int(8, signed: true));
    }

    private static WeightDatatype Integer(string name, string family, StorageFormat storage, params Codebook[] codebooks) =>
        Integer(name, family, storage, 1, codebooks);

    private static WeightDatatype Integer(string name, string family, StorageFormat storage, int unitScale, params Codebook[] codebooks)
    {
        var values = new SortedSet<long>();
        foreach (var codebook in codebooks)
        {
            foreach (double codebookValue in codebook.SortedValues)
            {
                double value = codebookValue * unitScale;
                if (value != Math.Round(value)) throw new InvalidOperationException($"{name}: value {value} is not an integer");
                values.Add((long)value);
            }
        }
        return new WeightDatatype(name, family, storage, [.. values]);
    }
}
