using HwSim.Arch.Memory;
using HwSim.Arch.Spec;
using HwSim.VerilogExport.Headers;

namespace HwSim.Tests.Arch.Memory;

public class DramSpecJsonTests
{
    private static readonly AcceleratorSpec Bitmod = Presets.Find("bitmod")!;

    private static string Error(string json) =>
        Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(json, "mine.json")).Message;

    [Fact]
    public void TheModelIsWrittenByNameAndRequired()
    {
        string json = AcceleratorSpecJson.Write(Bitmod);
        Assert.Contains("\"model\": \"simple\"", json);
        string withoutModel = json.Replace("\"model\": \"simple\",", "");
        Assert.StartsWith("mine.json: dram.model: missing (expected one of simple, banked)", Error(withoutModel));
    }

    [Fact]
    public void BankedModelRoundTrips()
    {
        var spec = Bitmod with { Dram = BankedDramSpec.Hbm2() };
        string json = AcceleratorSpecJson.Write(spec);
        Assert.Contains("\"model\": \"banked\"", json);
        Assert.Contains("\"rcdCycles\": 14", json);
        Assert.Equal(spec.Dram, AcceleratorSpecJson.Read(json).Dram);
    }

    [Theory]
    [InlineData("\"bytesPerCycle\": 32", "\"bytesPerCycle\": 32, \"banks\": 16", "mine.json: dram.banks: not read by the 'simple' model")]
    [InlineData("\"bytesPerCycle\": 32", "\"bytesPerCycle\": 32, \"turbo\": 1", "mine.json: dram.turbo: not read by the 'simple' model")]
    [InlineData("\"model\": \"simple\"", "\"model\": \"hbm9\"", "mine.json: dram.model: unknown 'hbm9' (expected one of simple, banked)")]
    [InlineData("\"bytesPerCycle\": 32", "\"bytesPerCycle\": 0", "mine.json: dram.bytesPerCycle: must be at least 1")]
    [InlineData("\"bytesPerCycle\": 32", "\"bytesPerCycle\": \"wide\"", "mine.json: dram.bytesPerCycle:")]
    [InlineData("\"widthBits\": 512", "\"widthBits\": 512, \"ports\": 1", "mine.json: buffers[0].ports:")]
    public void FieldsNoModelReadsAreRejectedNamingThem(string original, string replacement, string expected)
    {
        string json = AcceleratorSpecJson.Write(Bitmod);
        Assert.Contains(original, json);
        string message = Error(ReplaceFirst(json, original, replacement));
        Assert.StartsWith(expected, message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void TheBankedModelRejectsTheSimpleModelsFields()
    {
        string json = AcceleratorSpecJson.Write(Bitmod with { Dram = BankedDramSpec.Ddr4_3200() })
            .Replace("\"banks\": 16,", "\"banks\": 16, \"latencyCycles\": 5,");
        Assert.StartsWith("mine.json: dram.latencyCycles: not read by the 'banked' model", Error(json));
    }

    [Fact]
    public void HeadersCarryTheChosenModelsParameters()
    {
        var model = HeaderModelBuilder.Build(Bitmod with { Dram = BankedDramSpec.Ddr4_3200() });
        var scalars = model.Sections.SelectMany(s => s.Scalars).ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal(NamedModels.Of<DramSpec>().Single(m => m.Name == "banked").StableId, scalars["DRAM_MODEL"]);
        Assert.Equal(22, scalars["DRAM_RCD_CYCLES"]);
        Assert.False(scalars.ContainsKey("DRAM_BYTES_PER_CYCLE"));
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        int at = text.IndexOf(old, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + old.Length)..];
    }
}
