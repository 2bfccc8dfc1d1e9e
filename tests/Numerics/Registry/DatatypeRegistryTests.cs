using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Quantization.Ovp;
using HwSim.Numerics.Quantization;

namespace HwSim.Tests.Numerics.Registry;

public class DatatypeRegistryTests
{
    [Theory]
    [InlineData("fp16")]
    [InlineData("int2")]
    [InlineData("int8")]
    [InlineData("int4-asym")]
    [InlineData("int4-g64")]
    [InlineData("int3-asym-g32")]
    [InlineData("fp3")]
    [InlineData("fp8_e5m2")]
    [InlineData("flint3")]
    [InlineData("flint6")]
    [InlineData("pot2")]
    [InlineData("pot5")]
    [InlineData("ant3")]
    [InlineData("ant8")]
    [InlineData("ovp4-flint")]
    [InlineData("bitmod3")]
    [InlineData("mxfp6_e3m2")]
    [InlineData("mxint8")]
    [InlineData("nvfp4")]
    public void GoodNamesResolveToThemselves(string name)
    {
        Assert.True(WeightDatatypes.TryGet(name, out var datatype, out string? problem), problem);
        Assert.Equal(name, datatype.Name);
        Assert.Same(datatype, WeightDatatypes.Get(name));
    }

    [Theory]
    [InlineData("int9", "datatype 'int9': width 9 is not supported (N = 2..8)")]
    [InlineData("int1", "datatype 'int1': width 1 is not supported (N = 2..8)")]
    [InlineData("int4-g0", "datatype 'int4-g0': group size must be at least 1")]
    [InlineData("flint7", "datatype 'flint7': width 7 is not supported (flintN (3..6))")]
    [InlineData("pot6", "datatype 'pot6': width 6 is not supported (potN (2..5))")]
    [InlineData("ant2", "datatype 'ant2': width 2 is not supported (antN (3..8))")]
    [InlineData("bitmod5", "datatype 'bitmod5': width 5 is not supported (bitmod3, bitmod4, bitmod3-fp16s, bitmod4-fp16s)")]
    [InlineData("mystery", "unknown datatype 'mystery' (known: intN, ")]
    [InlineData("INT4", "unknown datatype 'INT4'")]
    [InlineData("int4-g", "unknown datatype 'int4-g'")]
    [InlineData("ovp6", "unknown datatype 'ovp6'")]
    public void BadNamesFailWithOneLine(string name, string message)
    {
        Assert.False(WeightDatatypes.TryGet(name, out _, out string? problem));
        Assert.StartsWith(message, problem);
        Assert.DoesNotContain('\n', problem!);
        Assert.StartsWith(message, Assert.Throws<FormatException>(() => WeightDatatypes.Get(name)).Message);
    }

    [Fact]
    public void TheFirstElevenStableIdsAreThoseOfHeaderFormatVersionOne()
    {
        string[] version1 = ["fp16", "int8", "int6", "int4", "bitmod3", "bitmod4", "ovp4", "ovp4-flint", "ovp8", "ant4", "ant8"];
        for (int id = 0; id < version1.Length; id++) Assert.Equal(id, WeightDatatypes.StableId(version1[id]));
    }

    [Fact]
    public void StableIdsAreUniqueFitTheMaskAndCoverEveryCanonicalDatatype()
    {
        Assert.Equal(DatatypeIds.Order.Count, DatatypeIds.Order.Distinct().Count());
        Assert.True(DatatypeIds.Order.Count <= DatatypeIds.MaxIds);
        Assert.All(DatatypeIds.Order, name => Assert.True(WeightDatatypes.TryGet(name, out _), name));
        Assert.All(WeightDatatypes.Names, name => Assert.NotNull(WeightDatatypes.StableId(name)));
        Assert.Equal(24, WeightDatatypes.StableId("int4-g64"));
        Assert.Null(WeightDatatypes.StableId("int4-g16"));
    }

    // Hand-computed: element bits, group size, bits per group (scales, zero points), bits per weight.
    [Theory]
    [InlineData("fp16", 16, 0, 0, 16.0)]
    [InlineData("int8", 8, 0, 0, 8.0)]
    [InlineData("int6", 6, 0, 0, 6.0)]
    [InlineData("int4", 4, 128, 16, 4.125)]
    [InlineData("int3", 3, 128, 16, 3.125)]
    [InlineData("int4-g64", 4, 64, 16, 4.25)]
    [InlineData("int4-asym", 4, 128, 20, 4.15625)]
    [InlineData("bitmod3", 3, 128, 8, 3.0625)]
    [InlineData("bitmod4", 4, 128, 8, 4.0625)]
    [InlineData("ovp4", 4, 0, 0, 4.0)]
    [InlineData("ovp8", 8, 0, 0, 8.0)]
    [InlineData("ant4", 4, 0, 0, 4.0)]
    [InlineData("ant8", 8, 0, 0, 8.0)]
    [InlineData("fp4", 4, 128, 16, 4.125)]
    [InlineData("flint4", 4, 128, 16, 4.125)]
    [InlineData("pot4", 4, 128, 16, 4.125)]
    [InlineData("mxfp4", 4, 32, 8, 4.25)]
    [InlineData("mxfp6_e2m3", 6, 32, 8, 6.25)]
    [InlineData("mxint8", 8, 32, 8, 8.25)]
    [InlineData("nvfp4", 4, 16, 8, 4.5)]
    public void StoredBitsAreExact(string name, int elementBits, int groupSize, int groupBits, double bitsPerWeight)
    {
        var storage = WeightDatatypes.Get(name).Storage;
        Assert.Equal((elementBits, groupSize, groupBits), (storage.ElementBits, storage.GroupSize, storage.GroupOverheadBits));
        Assert.Equal(bitsPerWeight, storage.EffectiveBits);
    }

    [Fact]
    public void Fp4ElementsAreHalfUnitIntegersOfAtMostTwoTerms()
    {
        // E2M1 magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6 (OCP MX v1.0) in halves; 3 = 4 − 1, 6 = 8 − 2, 12 = 16 − 4.
        long[] expected = [-12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12];
        foreach (string name in new[] { "fp4", "mxfp4", "nvfp4" })
        {
            var datatype = WeightDatatypes.Get(name);
            Assert.Equal(expected, datatype.Values);
            Assert.Equal(2, datatype.UnitScale);
            Assert.Equal(2, datatype.MaxTerms);
            Assert.Equal(5, datatype.TwosComplementBits);
        }
    }

    [Fact]
    public void Fp8E4M3ElementsAreIntegersInUnitsOfTheSmallestSubnormal()
    {
        // Subnormals m · 2^-9 (m = 1..7), normals (8 + m) · 2^(e−1) · 2^-9 for e = 1..15 except the NaN code S.1111.111:
        // 7 + 15 · 8 − 1 = 126 magnitudes. The largest, 448 = 229376 units, needs 19 two's-complement bits. NAF weights:
        // 8 + m has 1 (8), 2 (9, 10, 12, 14, 15) or 3 terms (11 = 8 + 2 + 1, 13 = 16 − 4 + 1), so at most 3.
        var datatype = WeightDatatypes.Get("fp8_e4m3");
        Assert.Equal(512, datatype.UnitScale);
        Assert.Equal(2 * 126 + 1, datatype.Values.Count);
        Assert.Equal(448 * 512, datatype.Values.Max());
        Assert.Equal(19, datatype.TwosComplementBits);
        Assert.Equal(3, datatype.MaxTerms);
        Assert.Equal(datatype.Values, WeightDatatypes.Get("mxfp8_e4m3").Values);
    }

    [Fact]
    public void GroupVariantsKeepTheIntegerValues()
    {
        var datatype = WeightDatatypes.Get("int4-g64");
        Assert.Equal(Enumerable.Range(-7, 15).Select(v => (long)v), datatype.Values);
        Assert.Equal(2, datatype.MaxTerms); // 7 = 8 − 1, 5 = 4 + 1
        Assert.Equal(4, datatype.TwosComplementBits);
        Assert.Equal(WeightDatatypes.Get("int4").Values, datatype.Values);
    }

    [Theory]
    [InlineData("int8", 4, 8)]
    [InlineData("int6", 3, 6)]
    [InlineData("int4", 2, 4)]
    [InlineData("bitmod3", 2, 4)]
    [InlineData("bitmod4", 2, 6)]
    [InlineData("ant4", 2, 8)]
    public void OldDatatypesKeepTheirTermsAndWidths(string name, int maxTerms, int bits)
    {
        // BitMoD's 4 MACs per 2, 3 and 4 cycles for FP4 / INT6 / INT8 (HPCA 2025, Sec. IV); BitMoD FP4's ±16 special
        // value needs 6 bits; ANT's PoT4 reaches ±64 (8 bits).
        var datatype = WeightDatatypes.Get(name);
        Assert.Equal(maxTerms, datatype.MaxTerms);
        Assert.Equal(bits, datatype.TwosComplementBits);
    }

    [Fact]
    public void OldDatatypesKeepTheirValues()
    {
        Assert.Equal(Values(1, BitmodTypes.Candidates(4).ToArray()), WeightDatatypes.Get("bitmod4").Values);
        Assert.Equal(Values(1, OvpFormat.Int4.Normal, OvpFormat.Int4.Outlier), WeightDatatypes.Get("ovp4").Values);
        Assert.Equal(Values(4, OvpFormat.Int8.Normal, OvpFormat.Int8.Outlier), WeightDatatypes.Get("ovp8").Values);
        Assert.Equal(Values(1, AntTypes.Int(4, true), AntTypes.PowerOfTwo(4, true), AntTypes.Flint(4, true)), WeightDatatypes.Get("ant4").Values);
        Assert.Equal(Values(1, AntTypes.Int(8, true)), WeightDatatypes.Get("ant8").Values);
        Assert.Empty(WeightDatatypes.Get("fp16").Values);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void AntValuesAreEveryCandidateTheAdaptiveQuantizerMayChoose(int bits) =>
        Assert.Equal(Values(1, [.. new AntAdaptiveQuantizer(bits).Candidates.Select(c => c.Codebook)]), WeightDatatypes.Get($"ant{bits}").Values);

    private static long[] Values(int unitScale, params Codebook[] codebooks) =>
        [.. codebooks.SelectMany(c => c.SortedValues.ToArray()).Select(v => (long)(v * unitScale)).Distinct().Order()];

    [Theory]
    [InlineData("bitmod3", "bitmod-dequant")]
    [InlineData("bitmod4", "bitmod-dequant")]
    [InlineData("ovp4", "ovp")]
    [InlineData("ovp4-flint", "ovp")]
    [InlineData("ovp8", "ovp8")]
    [InlineData("ant4", "flint")]
    [InlineData("ant8", "flint")]
    [InlineData("int4", null)]
    [InlineData("int8", null)]
    [InlineData("fp16", null)]
    public void DecodersOfTheOldDatatypesAreUnchanged(string name, string? decoder) =>
        Assert.Equal(decoder, WeightDatatypes.Get(name).Decoder?.Name);

    [Fact]
    public void DecoderKindsIncludeEveryKindDescriptionsMayName()
    {
        string[] kinds = ["int-dequant", "flint", "ovp", "ovp8", "bitmod-dequant", "mx-scale"];
        Assert.Equal(kinds.Order(), WeightDatatypes.DecoderKinds.Select(k => k.Name).Order());
        Assert.All(WeightDatatypes.All.Select(d => d.Decoder).OfType<DecoderKind>(), k => Assert.Contains(k, WeightDatatypes.DecoderKinds));
    }
}
