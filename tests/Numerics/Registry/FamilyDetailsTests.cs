using HwSim.Numerics.Quantization;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Numerics.Registry;

/// <summary>
/// What each family's parser builds beyond names and bits: storage layouts by width, the integer values a PE sees,
/// fixed group sizes, the quantizers' names and group sizes, the catalog's grammar and messages.
/// </summary>
public class FamilyDetailsTests
{
    [Theory]
    // Widths from 6 bits are per-channel without a group suffix; narrower ones mean g128; -asym adds an N-bit zero point.
    [InlineData("int5", "int5-g128", 5, 128, 16)]
    [InlineData("int6", "int6", 6, 0, 0)]
    [InlineData("int2", "int2-g128", 2, 128, 16)]
    [InlineData("int8-asym", "int8-asym-g128", 8, 128, 24)]
    [InlineData("int6-g32", "int6-g32", 6, 32, 16)]
    [InlineData("int3-asym-g16", "int3-asym-g16", 3, 16, 19)]
    [InlineData("int4-gptq", "int4-gptq-g128", 4, 128, 16)]
    [InlineData("int8-gptq", "int8-gptq", 8, 0, 0)]
    [InlineData("fp8_e5m2", "fp8_e5m2-g128", 8, 128, 16)]
    [InlineData("flint5", "flint5-g128", 5, 128, 16)]
    [InlineData("pot3", "pot3-g128", 3, 128, 16)]
    [InlineData("ant5", "ant5", 5, 0, 0)]
    [InlineData("bitmod3-fp16s", "bitmod3-fp16s-g128", 3, 128, 16)]
    [InlineData("mxfp8_e5m2", "mxfp8_e5m2", 8, 32, 8)]
    [InlineData("ovp4-auto", "ovp4-auto", 4, 0, 0)]
    public void StorageLayoutsFollowTheWidth(string name, string storageName, int bits, int group, int overhead)
    {
        var storage = WeightDatatypes.Get(name).Storage;
        Assert.Equal((storageName, bits, group, overhead), (storage.Name, storage.ElementBits, storage.GroupSize, storage.GroupOverheadBits));
    }

    [Fact]
    public void AsymmetricIntegersOfferEveryDifferenceOfTwoCodes()
    {
        // code − zero point for codes and zero points in 0 … 2^N − 1: −(2^N − 1) … 2^N − 1.
        Assert.Equal(Enumerable.Range(-7, 15).Select(v => (long)v), WeightDatatypes.Get("int3-asym").Values);
        Assert.Equal(Enumerable.Range(-255, 511).Select(v => (long)v), WeightDatatypes.Get("int8-asym").Values);
        Assert.Equal(Enumerable.Range(-1, 3).Select(v => (long)v), WeightDatatypes.Get("int2").Values);
        Assert.Equal(Enumerable.Range(-128, 256).Select(v => (long)v), WeightDatatypes.Get("int8-gptq").Values);
    }

    [Theory]
    [InlineData("int4", "int4-g128", 128, null)]
    [InlineData("int4-g64", "int4-g64", 64, 64)]
    [InlineData("int4-asym", "int4-asym-g128", 128, null)]
    [InlineData("int5-gptq-g32", "int5-gptq-g32", 32, 32)]
    [InlineData("fp4", "fp4-g128", 128, null)]
    [InlineData("flint4", "flint4-g128", 128, null)]
    [InlineData("pot4", "pot4-g128", 128, null)]
    public void GroupScaledStorageQuantizersUseTheStoredGroup(string name, string quantizerName, int group, int? fixedGroup)
    {
        var datatype = WeightDatatypes.Get(name);
        var quantizer = (CodebookQuantizer)datatype.StorageQuantizer!(4096);
        Assert.Equal((quantizerName, group, fixedGroup), (quantizer.Name, quantizer.Granularity.GroupSize, datatype.FixedGroupSize));
        Assert.Equal([1.0], quantizer.Fractions);
    }

    [Fact]
    public void PerChannelWidthsQuantizeWholeRows()
    {
        var int8 = (CodebookQuantizer)WeightDatatypes.Get("int8").StorageQuantizer!(4096);
        Assert.Equal(("int8-g4096", 4096), (int8.Name, int8.Granularity.GroupSize));
        var int6 = (CodebookQuantizer)WeightDatatypes.Get("int6").StorageQuantizer!(11008);
        Assert.Equal(11008, int6.Granularity.GroupSize);
        var gptq = (CodebookQuantizer)WeightDatatypes.Get("int4-gptq").StorageQuantizer!(4096);
        Assert.Equal(-8, gptq.Codebook.MinValue);
        Assert.True(((CodebookQuantizer)WeightDatatypes.Get("int4-asym").StorageQuantizer!(64)).Asymmetric);
        Assert.False(gptq.Asymmetric);
    }

    [Fact]
    public void StudyQuantizersTakeTheStudysGroupAndClipUnlessTheNameFixesThem()
    {
        var study = (CodebookQuantizer)QuantizerCatalog.Create("int4", 32, ClipMode.Mse);
        Assert.Equal(("int4-g32-mse", 32, 51), (study.Name, study.Granularity.GroupSize, study.Fractions.Count));
        var fixedGroup = (CodebookQuantizer)QuantizerCatalog.Create("int4-g64", 32, ClipMode.AbsMax);
        Assert.Equal(("int4-g64", 64), (fixedGroup.Name, fixedGroup.Granularity.GroupSize));
        Assert.Equal("fp3-g16", QuantizerCatalog.Create("fp3", 16).Name);
        Assert.Equal("flint3-g128-mse", QuantizerCatalog.Create("flint3", clip: ClipMode.Mse).Name);
        Assert.Equal("pot5-g8", QuantizerCatalog.Create("pot5", 8).Name);
        Assert.Equal("bitmod4-g64", QuantizerCatalog.Create("bitmod4", 64).Name);
        Assert.Equal("bitmod3-fp16s-g32", QuantizerCatalog.Create("bitmod3-fp16s", 32).Name);
        Assert.Equal(("ant6", "ovp4-int-mse", "ovp4-flint-mse", "ovp8-int-mse", "ovp4-auto-mse", "mxfp4", "nvfp4"),
            (QuantizerCatalog.Create("ant6").Name, QuantizerCatalog.Create("ovp4").Name, QuantizerCatalog.Create("ovp4-flint").Name,
             QuantizerCatalog.Create("ovp8").Name, QuantizerCatalog.Create("ovp4-auto").Name, QuantizerCatalog.Create("mxfp4", 7).Name, QuantizerCatalog.Create("nvfp4").Name));
        Assert.Equal("int4-g128", QuantizerCatalog.Create("  INT4 ").Name);
    }

    [Fact]
    public void TheCatalogNamesWhatItCannotQuantize()
    {
        Assert.Equal("datatype 'fp16': nothing to quantize (floating-point weights need a floating-point multiplier)",
            Assert.Throws<FormatException>(() => QuantizerCatalog.Create("fp16")).Message);
        Assert.DoesNotContain(", fp16", QuantizerCatalog.Help.Replace("-fp16s", ""));
        Assert.StartsWith("intN, intN-asym, intN-gptq, intN-gG, intN-gptq-gG (N = 2..8), fp3, fp4, fp6_e2m3", QuantizerCatalog.Help);
        Assert.EndsWith("nvfp4", QuantizerCatalog.Help);
        Assert.All(QuantizerCatalog.DefaultNames, name => Assert.NotNull(QuantizerCatalog.Create(name)));
        Assert.Equal(16, QuantizerCatalog.DefaultNames.Count);
        Assert.EndsWith(", fp16", WeightDatatypes.Grammar);
        Assert.StartsWith("intN, intN-asym", WeightDatatypes.Grammar);
    }

    [Fact]
    public void TheRegistryListsCanonicalNamesInFamilyOrder()
    {
        Assert.Equal(["int8", "int6", "int4", "int3", "int4-asym", "int4-g64", "int4-g32", "int4-gptq", "fp3"], WeightDatatypes.Names.Take(9));
        Assert.Equal("fp16", WeightDatatypes.Names[^1]);
        Assert.Equal(WeightDatatypes.Names.Count, WeightDatatypes.Names.Distinct().Count());
        Assert.Equal(WeightDatatypes.Families.Sum(f => f.CanonicalNames.Count), WeightDatatypes.All.Count);
        Assert.Equal(["int", "minifloat", "flint", "pot", "ant", "ovp", "bitmod", "mx", "nvfp4", "fp"], WeightDatatypes.Families.Select(f => f.Name));
        Assert.All(WeightDatatypes.All, d => Assert.Contains(d.Family, WeightDatatypes.Families.Select(f => f.Name)));
        // Parsing is cached: the same instance every time, also for parametric names.
        Assert.Same(WeightDatatypes.Get("int5-g48"), WeightDatatypes.Get("int5-g48"));
        Assert.True(WeightDatatypes.TryGet("int5-g48", out var datatype));
        Assert.Equal("int5-g48", datatype.Name);
        Assert.False(WeightDatatypes.TryGet("int5-g", out _));
    }

    [Theory]
    [InlineData("ant9", "datatype 'ant9': width 9 is not supported (antN (3..8))")]
    [InlineData("flint2", "datatype 'flint2': width 2 is not supported (flintN (3..6))")]
    [InlineData("pot1", "datatype 'pot1': width 1 is not supported (potN (2..5))")]
    [InlineData("bitmod2-fp16s", "datatype 'bitmod2-fp16s': width 2 is not supported (bitmod3, bitmod4, bitmod3-fp16s, bitmod4-fp16s)")]
    [InlineData("int4-gptq-g0", "datatype 'int4-gptq-g0': group size must be at least 1")]
    [InlineData("bitmod", "unknown datatype 'bitmod' (known: ")]
    [InlineData("bitmodx", "unknown datatype 'bitmodx' (known: ")]
    [InlineData("bitmod4-fp32s", "unknown datatype 'bitmod4-fp32s' (known: ")]
    [InlineData("ovp4-int", "unknown datatype 'ovp4-int' (known: ")]
    [InlineData("mxfp5", "unknown datatype 'mxfp5' (known: ")]
    [InlineData("nvfp8", "unknown datatype 'nvfp8' (known: ")]
    [InlineData("fp32", "unknown datatype 'fp32' (known: ")]
    public void MoreBadNames(string name, string message) =>
        Assert.StartsWith(message, Assert.Throws<FormatException>(() => WeightDatatypes.Get(name)).Message);

    [Fact]
    public void FloatingPointWeightsHaveNoIntegerForm()
    {
        var fp16 = WeightDatatypes.Get("fp16");
        Assert.False(fp16.IsInteger);
        Assert.Equal((16, 0, 1), (fp16.TwosComplementBits, fp16.MaxTerms, fp16.UnitScale));
        Assert.Null(fp16.StorageQuantizer);
        Assert.Null(fp16.StudyQuantizer);
        Assert.Same(HwSim.Numerics.Formats.StorageFormat.Fp16, fp16.Storage);
        Assert.True(WeightDatatypes.Get("int4").IsInteger);
        // OVP8: normals are quarter-integers in OliVe's units, so the integer unit is a quarter: 504 · 4 = 2016.
        var ovp8 = WeightDatatypes.Get("ovp8");
        Assert.Equal((4, 2016L, -2016L), (ovp8.UnitScale, ovp8.Values.Max(), ovp8.Values.Min()));
        Assert.Equal(12, ovp8.TwosComplementBits);
        // MXINT8 elements are integers in units of 2^-6: −127 … 127.
        var mxint8 = WeightDatatypes.Get("mxint8");
        Assert.Equal((64, 127L, -127L, 8), (mxint8.UnitScale, mxint8.Values.Max(), mxint8.Values.Min(), mxint8.TwosComplementBits));
    }
}
