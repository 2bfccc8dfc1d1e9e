using HwSim.Numerics.Registry;

namespace HwSim.Tests.Numerics.Registry;

/// <summary>
/// The descriptions of the decoder tables, which the RTL and C header exporters print beside each table
/// ("// NAME: description (integer units, …)"). The expected texts of ANT, BitMoD and OliVe are copied from the headers
/// `hwsim export --arch ant|bitmod|olive` writes on main (the golden export outputs); the other families' follow the
/// same wording for their own codebooks.
/// </summary>
public class RtlTableTextTests
{
    private static string Description(string datatype, string table) =>
        WeightDatatypes.Get(datatype).Rtl.Tables.Single(t => t.Name == table).Description;

    [Fact]
    public void AntTablesSayWhichCandidateTheyDecode()
    {
        Assert.Equal("ANT int4 value by code", Description("ant4", "ANT4_INT_DECODE"));
        Assert.Equal("ANT power-of-two value by code", Description("ant4", "ANT4_POT_DECODE"));
        Assert.Equal("ANT flint value by code (first-one exponent)", Description("ant4", "ANT4_FLINT_DECODE"));
        Assert.Equal("ANT int5 value by code", Description("ant5", "ANT5_INT_DECODE"));
    }

    [Fact]
    public void BitmodTablesSayHowTheyAreIndexed()
    {
        const string special = " special value by 2-bit type id (0 ER_POS, 1 ER_NEG, 2 EA_POS, 3 EA_NEG), held in the 4-entry register the \"-0\" code reads";
        Assert.Equal("BitMoD 3-bit" + special, Description("bitmod3", "BITMOD3_SPECIAL"));
        Assert.Equal("BitMoD 4-bit" + special, Description("bitmod4", "BITMOD4_SPECIAL"));
        Assert.Equal("BitMoD 3-bit value at index (type id << 3) | code; sign-magnitude E2M0 codes", Description("bitmod3", "BITMOD3_DECODE"));
        Assert.Equal("BitMoD 4-bit value at index (type id << 4) | code; sign-magnitude E2M1 codes", Description("bitmod4", "BITMOD4_DECODE"));
    }

    [Fact]
    public void OliveTablesSayTheirUnits()
    {
        Assert.Equal("OliVe ovp4-int normal value by code", Description("ovp4", "OVP4_NORMAL_DECODE"));
        Assert.Equal("OliVe ovp4-flint normal value by code", Description("ovp4", "OVP4_FLINT_NORMAL_DECODE"));
        Assert.Equal("OliVe abfloat outlier value by code (sign, 2 exponent bits, bias 5)", Description("ovp4", "OVP4_ABFLOAT_DECODE"));
        Assert.Equal("OliVe ovp8-int normal value by code in units of 1/4 of OliVe's normalized unit", Description("ovp8", "OVP8_NORMAL_DECODE"));
        Assert.Equal("OliVe abfloat outlier value by code (sign, 2 exponent bits, bias 5) in units of 1/4 of OliVe's normalized unit",
            Description("ovp8", "OVP8_ABFLOAT_DECODE"));
        var identifiers = WeightDatatypes.Get("ovp4").Rtl.Constants;
        Assert.All(identifiers, c => Assert.Equal("victim slot code (sign-magnitude \"-0\")", c.Description));
    }

    [Fact]
    public void ElementTablesSayTheirUnits()
    {
        Assert.Equal("flint4 value by code (first-one exponent)", Description("flint4", "FLINT4_DECODE"));
        // FP4 E2M1 values are integers in halves; FP6 E2M3 in eighths (smallest subnormal 2^-3); PoT needs no unit.
        Assert.Equal("fp4_e2m1 value by code in units of 1/2 (sign-magnitude; codes with no value read 0)", Description("fp4", "FP4_E2M1_DECODE"));
        Assert.Equal("fp6_e2m3 value by code in units of 1/8 (sign-magnitude; codes with no value read 0)", Description("fp6_e2m3", "FP6_E2M3_DECODE"));
        Assert.Equal("fp3_e2m0 value by code (sign-magnitude; codes with no value read 0)", Description("fp3", "FP3_E2M0_DECODE"));
        Assert.Equal("pot3 value by code", Description("pot3", "POT3_DECODE"));
    }
}
