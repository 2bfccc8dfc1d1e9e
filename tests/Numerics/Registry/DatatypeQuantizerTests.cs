using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Quantization.Ovp;
using HwSim.Numerics.Quantization;

namespace HwSim.Tests.Numerics.Registry;

/// <summary>
/// The registry's quantizers equal the quantizers built directly from the codebooks, as the name catalog built them
/// before the registry: same name, codes and stored scales on a synthetic matrix, for every name that catalog knew.
/// </summary>
public class DatatypeQuantizerTests
{
    private static readonly WeightMatrix Weights = SyntheticWeightsForTests.Small(24, 256, seed: 11);

    public static TheoryData<string> OldNames()
    {
        var names = new TheoryData<string>();
        for (int bits = 2; bits <= 8; bits++) { names.Add($"int{bits}"); names.Add($"int{bits}-asym"); }
        for (int bits = 3; bits <= 6; bits++) names.Add($"flint{bits}");
        for (int bits = 2; bits <= 5; bits++) names.Add($"pot{bits}");
        for (int bits = 3; bits <= 8; bits++) names.Add($"ant{bits}");
        foreach (string name in new[] { "fp3", "fp4", "fp6_e2m3", "fp6_e3m2", "fp8_e4m3", "fp8_e5m2", "ovp4", "ovp4-flint", "ovp8",
            "bitmod3", "bitmod4", "mxfp4", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp8_e4m3", "mxfp8_e5m2", "mxint8", "nvfp4" })
            names.Add(name);
        return names;
    }

    [Theory]
    [MemberData(nameof(OldNames))]
    public void StudyQuantizersEqualTheDirectConstruction(string name)
    {
        foreach (var (group, clip) in new[] { (128, ClipMode.AbsMax), (64, ClipMode.Mse) })
            Same(Direct(name, group, clip), QuantizerCatalog.Create(name, group, clip));
    }

    [Theory]
    [InlineData("int8")]
    [InlineData("int6")]
    [InlineData("int4")]
    [InlineData("bitmod3")]
    [InlineData("bitmod4")]
    [InlineData("ovp4")]
    [InlineData("ovp4-flint")]
    [InlineData("ovp8")]
    [InlineData("ant4")]
    [InlineData("ant8")]
    public void StorageQuantizersReproduceTheArchDatatypes(string name)
    {
        // INT8 / INT6 per output channel (a group of the whole row), INT4 and BitMoD g128, OVP and ANT their own searches.
        var expected = name is "int8" or "int6" ? Direct(name, Weights.Cols, ClipMode.AbsMax) : Direct(name, 128, ClipMode.AbsMax);
        Same(expected, WeightDatatypes.Get(name).StorageQuantizer!(Weights.Cols));
    }

    [Fact]
    public void AGroupSuffixOverridesTheStudyGroupSize() =>
        Same(Direct("int4", 64, ClipMode.AbsMax), QuantizerCatalog.Create("int4-g64", 128));

    [Fact]
    public void Fp16HasNothingToQuantize()
    {
        Assert.Null(WeightDatatypes.Get("fp16").StorageQuantizer);
        Assert.StartsWith("datatype 'fp16': nothing to quantize", Assert.Throws<FormatException>(() => QuantizerCatalog.Create("fp16")).Message);
    }

    private static void Same(IWeightQuantizer expected, IWeightQuantizer actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        var a = expected.Quantize(Weights);
        var b = actual.Quantize(Weights);
        Assert.Equal(a.Codes, b.Codes);
        Assert.Equal(a.Scales, b.Scales);
        Assert.Equal(a.ZeroPoints, b.ZeroPoints);
        Assert.Equal(a.TypeIds, b.TypeIds);
        Assert.Equal(a.Layout.StorageBits, b.Layout.StorageBits);
    }

    /// <summary>The quantizer each name stood for, built from its codebook.</summary>
    private static IWeightQuantizer Direct(string name, int groupSize, ClipMode clip)
    {
        var group = Granularity.Group(groupSize);
        var search = clip == ClipMode.Mse ? QuantizerCatalog.ShrinkSearch : null;
        string named = name + group.Suffix + (search is null ? "" : "-mse");
        int Bits(string prefix) => int.Parse(name[prefix.Length..].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        MiniFloat? fp = name switch
        {
            "fp3" => MiniFloat.Fp3E2M0, "fp4" => MiniFloat.Fp4E2M1, "fp6_e2m3" => MiniFloat.Fp6E2M3,
            "fp6_e3m2" => MiniFloat.Fp6E3M2, "fp8_e4m3" => MiniFloat.Fp8E4M3, "fp8_e5m2" => MiniFloat.Fp8E5M2, _ => null,
        };
        if (fp is not null) return new CodebookQuantizer(fp.ToCodebook(), group, ScaleFormat.Fp16, search, name: named);
        if (name.StartsWith("int", StringComparison.Ordinal))
            return name.EndsWith("-asym", StringComparison.Ordinal)
                ? new CodebookQuantizer(IntegerTypes.Unsigned(Bits("int")), group, ScaleFormat.Fp16, search, asymmetric: true, name: named)
                : new CodebookQuantizer(IntegerTypes.Symmetric(Bits("int")), group, ScaleFormat.Fp16, search, name: named);
        if (name.StartsWith("flint", StringComparison.Ordinal))
            return new CodebookQuantizer(AntTypes.Flint(Bits("flint"), signed: true), group, ScaleFormat.Fp16, search, name: named);
        if (name.StartsWith("pot", StringComparison.Ordinal))
            return new CodebookQuantizer(AntTypes.PowerOfTwo(Bits("pot"), signed: true), group, ScaleFormat.Fp16, search, name: named);
        if (name.StartsWith("ant", StringComparison.Ordinal)) return new AntAdaptiveQuantizer(Bits("ant"));
        if (name.StartsWith("bitmod", StringComparison.Ordinal)) return new BitmodQuantizer(Bits("bitmod"), groupSize, ScaleFormat.Int8RowScaled);
        return name switch
        {
            "ovp4" => new OvpQuantizer(OvpFormat.Int4, OvpQuantizer.OliveSearch),
            "ovp4-flint" => new OvpQuantizer(OvpFormat.Flint4, OvpQuantizer.OliveSearch),
            "ovp8" => new OvpQuantizer(OvpFormat.Int8, OvpQuantizer.OliveSearch),
            "mxfp4" => MxQuantizer.Fp4,
            "mxfp6_e2m3" => MxQuantizer.Fp6E2M3,
            "mxfp6_e3m2" => MxQuantizer.Fp6E3M2,
            "mxfp8_e4m3" => MxQuantizer.Fp8E4M3,
            "mxfp8_e5m2" => MxQuantizer.Fp8E5M2,
            "mxint8" => MxQuantizer.Int8,
            "nvfp4" => new Nvfp4Quantizer(),
            _ => throw new ArgumentException(name),
        };
    }
}
