using HwSim.Numerics.Registry;

namespace HwSim.Tests.Numerics.Registry;

/// <summary>
/// The decoder tables each datatype hands to RTL export, value by code, derived by hand from the codebook definitions
/// (sign-magnitude codes: code 2^(b−1) + m is −value(m); codes without a value read 0), and the hardware each
/// datatype names (decoder unit, edge decoder, paper PE).
/// </summary>
public class RtlTablesTests
{
    private static RtlTable Table(string datatype, string table) => WeightDatatypes.Get(datatype).Rtl.Tables.Single(t => t.Name == table);

    /// <summary>A sign-magnitude table: the magnitudes by code, then 0 for "−0" and the negated magnitudes.</summary>
    private static long[] SignMagnitude(params long[] magnitudes) => [.. magnitudes, 0, .. magnitudes[1..].Select(m => -m)];

    [Fact]
    public void FlintAndPowerOfTwoTables()
    {
        // Unsigned flint3 by code: 0xx integers 0..3; 100 -> 2^4; 101 -> 2^3; 11m -> 2^2 · (1 + m/2) = 4, 6.
        long[] flint4 = SignMagnitude(0, 1, 2, 3, 16, 8, 4, 6);
        Assert.Equal(["FLINT4_DECODE"], WeightDatatypes.Get("flint4").Rtl.Tables.Select(t => t.Name));
        Assert.Equal(flint4, Table("flint4", "FLINT4_DECODE").Values);
        Assert.Empty(WeightDatatypes.Get("flint4").Rtl.Constants);
        // PoT4: code c > 0 holds 2^(c − 1).
        Assert.Equal(SignMagnitude(0, 1, 2, 4, 8, 16, 32, 64), Table("pot4", "POT4_DECODE").Values);
        Assert.Equal("pot4 value by code", Table("pot4", "POT4_DECODE").Description);
        // flint3: sign + unsigned flint2 (0, 1, 2^2, 2^1).
        Assert.Equal(SignMagnitude(0, 1, 4, 2), Table("flint3", "FLINT3_DECODE").Values);
    }

    [Fact]
    public void AntListsOneTablePerCandidateType()
    {
        Assert.Equal(["ANT4_INT_DECODE", "ANT4_POT_DECODE", "ANT4_FLINT_DECODE"], WeightDatatypes.Get("ant4").Rtl.Tables.Select(t => t.Name));
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1], Table("ant4", "ANT4_INT_DECODE").Values);
        Assert.Equal(SignMagnitude(0, 1, 2, 4, 8, 16, 32, 64), Table("ant4", "ANT4_POT_DECODE").Values);
        Assert.Equal(SignMagnitude(0, 1, 2, 3, 16, 8, 4, 6), Table("ant4", "ANT4_FLINT_DECODE").Values);
        // PoT only up to 5 bits, flint only up to 6; ant8 has int alone and decodes as plain two's complement.
        Assert.Equal(["ANT5_INT_DECODE", "ANT5_POT_DECODE", "ANT5_FLINT_DECODE"], WeightDatatypes.Get("ant5").Rtl.Tables.Select(t => t.Name));
        Assert.Equal(["ANT6_INT_DECODE", "ANT6_FLINT_DECODE"], WeightDatatypes.Get("ant6").Rtl.Tables.Select(t => t.Name));
        Assert.Same(RtlTables.None, WeightDatatypes.Get("ant8").Rtl);
        Assert.Same(RtlTables.None, WeightDatatypes.Get("ant7").Rtl);
    }

    [Fact]
    public void BitmodListsBothWidthsSpecialValuesAndDecodeTables()
    {
        var rtl = WeightDatatypes.Get("bitmod3").Rtl;
        Assert.Same(rtl, WeightDatatypes.Get("bitmod4-fp16s").Rtl);
        Assert.Equal(["BITMOD3_SPECIAL", "BITMOD3_DECODE", "BITMOD4_SPECIAL", "BITMOD4_DECODE"], rtl.Tables.Select(t => t.Name));
        Assert.Equal([3L, -3, 6, -6], Table("bitmod3", "BITMOD3_SPECIAL").Values);
        Assert.Equal([10L, -10, 16, -16], Table("bitmod3", "BITMOD4_SPECIAL").Values);
        // Index (type id << 3) | code: FP3 magnitudes 0, 1, 2, 4 by code, the "-0" code 100 holding the special value.
        long[] decode3 = [.. new long[] { 3, -3, 6, -6 }.SelectMany(special => new long[] { 0, 1, 2, 4, special, -1, -2, -4 })];
        Assert.Equal(decode3, Table("bitmod3", "BITMOD3_DECODE").Values);
        var decode4 = Table("bitmod4", "BITMOD4_DECODE").Values;
        Assert.Equal(64, decode4.Count);
        Assert.Equal([0L, 1, 2, 3, 4, 6, 8, 12, 10, -1, -2, -3, -4, -6, -8, -12], decode4.Take(16));
        Assert.Equal(-16, decode4[(3 << 4) | 8]);
        Assert.Equal(16, decode4[(2 << 4) | 8]);
        Assert.Equal(-10, decode4[(1 << 4) | 8]);
    }

    [Fact]
    public void OvpListsIdentifiersNormalAndAbfloatTablesOfEveryFormat()
    {
        var rtl = WeightDatatypes.Get("ovp4").Rtl;
        Assert.Same(rtl, WeightDatatypes.Get("ovp8").Rtl);
        Assert.Same(rtl, WeightDatatypes.Get("ovp4-auto").Rtl);
        Assert.Equal([("OVP4_IDENTIFIER", 8L), ("OVP8_IDENTIFIER", 128L)], rtl.Constants.Select(c => (c.Name, c.Value)));
        Assert.All(rtl.Constants, c => Assert.Equal("code", c.Unit));
        Assert.Equal(["OVP4_NORMAL_DECODE", "OVP4_ABFLOAT_DECODE", "OVP4_FLINT_NORMAL_DECODE", "OVP8_NORMAL_DECODE", "OVP8_ABFLOAT_DECODE"],
            rtl.Tables.Select(t => t.Name));
        // OliVe int4 normals m · 32/8; abfloat4 codes 0 e e m: 2^(e+5) · (1 + m/2), code 0 unused.
        Assert.Equal(SignMagnitude(0, 4, 8, 12, 16, 20, 24, 28), Table("ovp4", "OVP4_NORMAL_DECODE").Values);
        Assert.Equal(SignMagnitude(0, 48, 64, 96, 128, 192, 256, 384), Table("ovp4", "OVP4_ABFLOAT_DECODE").Values);
        // flint4 normals: signed flint4 times 2 (largest magnitude 32).
        Assert.Equal(SignMagnitude(0, 2, 4, 6, 32, 16, 8, 12), Table("ovp4", "OVP4_FLINT_NORMAL_DECODE").Values);
        // OVP8 in quarter units: int8 normal m · 32/128 = m/4 -> m; abfloat8 code 1 = 32 · (1 + 1/32) = 33 -> 132.
        var normal8 = Table("ovp8", "OVP8_NORMAL_DECODE");
        Assert.Equal([0L, 1, 2, 127, 0, -1], new[] { 0, 1, 2, 127, 128, 129 }.Select(c => normal8.Values[c]));
        Assert.EndsWith(" in units of 1/4 of OliVe's normalized unit", normal8.Description);
        var abfloat8 = Table("ovp8", "OVP8_ABFLOAT_DECODE");
        Assert.Equal([0L, 132, 256, 2016, 0, -132], new[] { 0, 1, 32, 127, 128, 129 }.Select(c => abfloat8.Values[c]));
        Assert.DoesNotContain("units", Table("ovp4", "OVP4_NORMAL_DECODE").Description);
    }

    [Fact]
    public void MinifloatElementsAreInUnitsOfTheirSmallestSubnormal()
    {
        // E2M1 in halves: 0, 0.5, 1, 1.5, 2, 3, 4, 6 -> 0, 1, 2, 3, 4, 6, 8, 12; "-0" reads 0.
        long[] e2m1 = SignMagnitude(0, 1, 2, 3, 4, 6, 8, 12);
        foreach (string name in new[] { "fp4", "mxfp4", "nvfp4" })
        {
            var table = Assert.Single(WeightDatatypes.Get(name).Rtl.Tables);
            Assert.Equal("FP4_E2M1_DECODE", table.Name);
            Assert.Equal(e2m1, table.Values);
            Assert.Contains(" in units of 1/2 ", table.Description);
        }
        // E4M3: the NaN codes 0x7F and 0xFF read 0; 0x7E = 448 = 229376 units of 2^-9; 0x01 = 1 unit.
        var e4m3 = Table("fp8_e4m3", "FP8_E4M3_DECODE").Values;
        Assert.Equal([0L, 1, 229376, 0, -1, -229376, 0], new[] { 0x00, 0x01, 0x7E, 0x7F, 0x81, 0xFE, 0xFF }.Select(c => e4m3[c]));
        Assert.Same(RtlTables.None, WeightDatatypes.Get("mxint8").Rtl);
        Assert.Same(RtlTables.None, WeightDatatypes.Get("int4").Rtl);
        Assert.Same(RtlTables.None, WeightDatatypes.Get("fp16").Rtl);
    }

    [Theory]
    [InlineData("int4", "rom", null, null)]
    [InlineData("int4-asym", null, null, null)]
    [InlineData("int8", "rom", null, null)]
    [InlineData("fp4", "rom", null, null)]
    [InlineData("pot4", "rom", null, null)]
    [InlineData("flint4", "rom", "flint", null)]
    [InlineData("ant4", "rom", "flint", "pe_ant")]
    [InlineData("bitmod4", "bitmod", "bitmod-dequant", "pe_bitmod")]
    [InlineData("bitmod3-fp16s", "bitmod", "bitmod-dequant", "pe_bitmod")]
    [InlineData("ovp4", "ovp-pair", "ovp", "pe_olive")]
    [InlineData("ovp4-flint", "ovp-pair", "ovp", "pe_olive")]
    [InlineData("ovp4-auto", "ovp-pair", "ovp", "pe_olive")]
    [InlineData("ovp8", null, "ovp8", "pe_olive")]
    [InlineData("mxfp4", "rom", null, null)]
    [InlineData("nvfp4", "rom", null, null)]
    [InlineData("fp16", null, null, "pe_fp16")]
    public void EachDatatypeNamesItsHardware(string name, string? unit, string? decoder, string? paperPe)
    {
        var datatype = WeightDatatypes.Get(name);
        Assert.Equal((unit, decoder, paperPe), (datatype.DecoderUnit, datatype.Decoder?.Name, datatype.PaperPe?.CostItem));
    }

    [Fact]
    public void PaperPesRankBitmodThenOliveThenAntThenFp16Alone()
    {
        Assert.Equal(new PaperPe("pe_bitmod", 0), WeightDatatypes.Get("bitmod4").PaperPe);
        Assert.Equal(new PaperPe("pe_olive", 1), WeightDatatypes.Get("ovp4").PaperPe);
        Assert.Equal(new PaperPe("pe_olive", 1), WeightDatatypes.Get("ovp4-auto").PaperPe);
        Assert.Equal(new PaperPe("pe_ant", 2), WeightDatatypes.Get("ant4").PaperPe);
        Assert.Equal(new PaperPe("pe_fp16", 3, Exclusive: true), WeightDatatypes.Get("fp16").PaperPe);
        Assert.Equal("floating-point weights need a floating-point multiplier", WeightDatatypes.Get("fp16").NotIntegerReason);
        Assert.Null(WeightDatatypes.Get("int4").NotIntegerReason);
    }

    [Fact]
    public void DecoderKindsCarryTheirCostItems()
    {
        Assert.Equal(new DecoderKind("flint", "flint_decoder", 4, false, "ANT flint / PoT / int decoder"), WeightDatatypes.FindDecoderKind("flint"));
        Assert.Equal(("ovp_decoder", 4, false), Cost("ovp"));
        Assert.Equal(("ovp_decoder", 8, false), Cost("ovp8"));
        Assert.Equal(("bitmod_dequant_tile", (int?)null, true), Cost("bitmod-dequant"));
        Assert.Equal(("int_dequant_decoder", (int?)null, false), Cost("int-dequant"));
        Assert.Equal(("mx_scale_decoder", (int?)null, false), Cost("mx-scale"));
        Assert.Null(WeightDatatypes.FindDecoderKind("rom"));
    }

    private static (string, int?, bool) Cost(string kind)
    {
        var decoder = WeightDatatypes.FindDecoderKind(kind)!;
        return (decoder.CostItem, decoder.CostBits, decoder.PerTile);
    }
}
