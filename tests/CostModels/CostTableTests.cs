using HwSim.CostModels.Tables;

namespace HwSim.Tests.CostModels;

public sealed class CostTableTests
{
    private const string Header = "item,quantity,bits,capacity_bytes,node_nm,value,unit,width_exponent,source\n";

    [Fact]
    public void EveryBuiltInRowCitesASource()
    {
        Assert.NotEmpty(CostTable.BuiltIn.Rows);
        Assert.All(CostTable.BuiltIn.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Source), r.Item));
    }

    [Theory]
    [InlineData("int_mult,energy,8,,45,0.2,pJ,2,\n", "mine.csv line 2: int_mult has no source; every cost must cite where it comes from")]
    [InlineData("int_mult,energy,8,,45,0.2,pJ,2,   \n", "mine.csv line 2: int_mult has no source; every cost must cite where it comes from")]
    [InlineData("int_mult,power,8,,45,0.2,pJ,2,x\n", "mine.csv line 2: quantity 'power' is not energy, area or factor")]
    [InlineData("int_mult,energy,8,,45,0.2,um2,2,x\n", "mine.csv line 2: unit 'um2' does not fit quantity energy (expected pJ)")]
    [InlineData("int_mult,energy,8,,45,-1,pJ,2,x\n", "mine.csv line 2: value must be a positive number (got -1)")]
    [InlineData("int_mult,energy,8.5,,45,1,pJ,2,x\n", "mine.csv line 2: bits must be a positive integer (got 8.5)")]
    [InlineData("int_mult,energy,8,,45,1,pJ\n", "mine.csv line 2: 7 fields, expected 9 (item,quantity,bits,capacity_bytes,node_nm,value,unit,width_exponent,source)")]
    public void BadRowsAreRejectedWithTheLine(string row, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => CostTable.Parse(Header + row, "mine.csv"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void AUserTableReplacesRowsOfTheSameItemAndQuantity()
    {
        var user = CostTable.Parse(Header + "pe_bitmod,area,4,,28,1000,um2,0,\"our synthesis, 2026\"\n", "mine.csv");
        var table = CostTable.BuiltIn.With(user);
        var row = Assert.Single(table.RowsOf("pe_bitmod", CostQuantity.Area));
        Assert.Equal(1000, row.Value);
        Assert.Equal("our synthesis, 2026", row.Source);
        Assert.Single(table.RowsOf("pe_bitmod", CostQuantity.Energy));
    }

    [Fact]
    public void WidthsScaleByTheStatedLawsOutsideTheMeasuredPoints()
    {
        var costs = new CostLookup(CostTable.BuiltIn, TechnologyScaling.BuiltIn, 45);
        // Horowitz: 8-bit multiply 0.2 pJ; the b^2 law gives 0.05 at 4 bits. Adders are linear: 0.03 · 4/8.
        Assert.Equal(0.05, costs.EnergyPicoJoules("int_mult", 4), 12);
        Assert.Equal(0.015, costs.EnergyPicoJoules("int_add", 4), 12);
        // Between two measured widths the power law runs through both: 8 → 0.2 and 32 → 3.1 meet at 16 as √(0.2·3.1).
        Assert.Equal(Math.Sqrt(0.2 * 3.1), costs.EnergyPicoJoules("int_mult", 16), 12);
        // Registers are per bit, linear (Accelergy, 40 nm; here at 40 nm so no node factor).
        var at40 = new CostLookup(CostTable.BuiltIn, TechnologyScaling.BuiltIn, 40);
        Assert.Equal(5.98 * 16, at40.AreaUm2("register", 16), 9);
        Assert.Equal(6350 / 4.0, at40.AreaUm2("multiplier", 16), 9);
    }

    [Fact]
    public void SramEnergyFollowsCapacityAndItsExponentBeyondTheTable()
    {
        var costs = new CostLookup(CostTable.BuiltIn, TechnologyScaling.BuiltIn, 45);
        Assert.Equal(20, costs.EnergyPicoJoules("sram_read", 64, 32768), 9);
        // 8 KB → 10 pJ and 32 KB → 20 pJ: 16 KB sits at 10 · 2^0.5.
        Assert.Equal(10 * Math.Sqrt(2), costs.EnergyPicoJoules("sram_read", 64, 16384), 9);
        // Below the smallest point: Accelergy's (depth ratio)^0.78.
        Assert.Equal(10 * Math.Pow(0.5, 0.78), costs.EnergyPicoJoules("sram_read", 64, 4096), 9);
        // Width is linear: a 512-bit word costs 8 × a 64-bit one.
        Assert.Equal(160, costs.EnergyPicoJoules("sram_read", 512, 32768), 9);
    }

    [Fact]
    public void TechnologyScalingReproducesStillmakerBaas()
    {
        var scaling = TechnologyScaling.BuiltIn;
        Assert.Equal(0.059, scaling.AreaFactor(45, 7), 12);
        Assert.Equal(1 / 6.4, scaling.AreaFactor(130, 45), 12);
        Assert.Equal(1, scaling.EnergyFactor(28, 28), 12);
        // 28 nm lies a third of the way from 32 to 20 nm.
        Assert.Equal(0.46 + (0.21 - 0.46) / 3, scaling.AreaFactor(45, 28), 12);
        double e45 = 1.103 * 0.81 - 0.362 * 0.9 + 0.2767, e32 = 0.9559 * 0.81 - 0.7823 * 0.9 + 0.471;
        Assert.Equal(e32 / e45, scaling.EnergyFactor(45, 32), 12);
        Assert.Throws<InvalidDataException>(() => scaling.AreaFactor(45, 5));
    }
}
