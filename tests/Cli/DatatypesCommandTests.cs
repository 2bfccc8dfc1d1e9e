using System.Text.Json;

namespace HwSim.Tests.Cli;

public class DatatypesCommandTests
{
    [Fact]
    public void ListsEveryCanonicalDatatypeWithBitsKindsAndCycles()
    {
        var (exit, output, error) = CliRunner.Run("datatypes", "--format", "csv");
        Assert.True(exit == 0, error);
        // The first nine columns; the last three are the provenance (version, commit, inputs hash).
        var rows = output.Trim().Split('\n').Select(l => l.Trim().Split(',')[..9]).ToDictionary(r => r[0]);
        Assert.Equal("datatype,family,id,stored_bits,bits_per_weight,decoder,cycles_bitParallel,cycles_bitSerial,cycles_termSerial",
            string.Join(",", rows["datatype"]));
        // Hand-worked: BitMoD FP4 needs 6 two's-complement bits (±16) and 2 terms; INT8 8 bits, 4 terms (BitMoD Sec. IV);
        // MXFP4 4 + 8/32 bits, E2M1 in halves 5 bits (±12), 2 terms; FP16 only bit-parallel.
        Assert.Equal(["bitmod4", "bitmod", "5", "4 + 8/128", "4.0625", "bitmod-dequant", "1", "6", "2"], rows["bitmod4"]);
        Assert.Equal(["int8", "int", "1", "8", "8", "", "1", "8", "4"], rows["int8"]);
        Assert.Equal(["mxfp4", "mx", "17", "4 + 8/32", "4.25", "", "1", "5", "2"], rows["mxfp4"]);
        Assert.Equal(["fp16", "fp", "0", "16", "16", "", "1", "", ""], rows["fp16"]);
    }

    [Fact]
    public void ShowsNamedParametricInstancesAsJsonAndRejectsBadNamesInOneLine()
    {
        var (exit, output, error) = CliRunner.Run("datatypes", "int4-g16", "--format", "json");
        Assert.True(exit == 0, error);
        var row = JsonDocument.Parse(output).RootElement.GetProperty("result").GetProperty("datatypes")[0];
        Assert.Equal("int4-g16", row.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("stableId").ValueKind);
        Assert.Equal(5.0, row.GetProperty("bitsPerWeight").GetDouble());

        var bad = CliRunner.Run("datatypes", "int9");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("hwsim: error: datatype 'int9': width 9 is not supported (N = 2..8)", bad.Error.Trim());
    }
}
