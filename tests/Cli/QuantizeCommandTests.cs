using HwSim.Tests.Numerics;

namespace HwSim.Tests.Cli;

public class QuantizeCommandTests : TemporaryDirectory
{
    [Fact]
    public void SyntheticReportRanksDatatypesBySqnrAndIsReproducible()
    {
        string[] args = ["quantize", "--synthetic", "--rows", "64", "--cols", "256", "--dtype", "int4,bitmod4,ovp4,mxfp4,int8", "--activation-rows", "2", "--quiet"];
        var (exit, output, error) = CliRunner.Run(args);
        Assert.True(exit == 0, error);
        Assert.Empty(error);
        Assert.Contains("bitmod4-g128", output);
        Assert.Contains("ovp4-int-mse", output);
        int int8 = output.IndexOf("int8-g128", StringComparison.Ordinal), int4 = output.IndexOf("int4-g128", StringComparison.Ordinal);
        Assert.True(int8 < int4, "8-bit ranks above 4-bit");
        Assert.Equal(output, CliRunner.Run(args).Output);
    }

    [Fact]
    public void WritesCsvAndReadsSafetensors()
    {
        string tensor = Path.Combine(TempPath, "m.safetensors");
        var values = Enumerable.Range(0, 4 * 64).Select(i => MathF.Sin(i) * (i % 64 == 3 ? 8 : 1)).ToArray();
        File.WriteAllBytes(tensor, TensorIoTests.Safetensors("""{"layer.weight":{"dtype":"F32","shape":[4,64],"data_offsets":[0,1024]},"layer.bias":{"dtype":"F32","shape":[4],"data_offsets":[1024,1040]}}""",
            TensorIoTests.F32([.. values, 0, 0, 0, 0])));
        string csv = Path.Combine(TempPath, "out.csv");
        var (exit, output, error) = CliRunner.Run("quantize", "--tensor", tensor, "--dtype", "bitmod3,int3-asym", "--group", "32", "--out", csv);
        Assert.True(exit == 0, error);
        Assert.Contains("m.safetensors:layer.weight [4, 64]", output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("datatype,bits_per_weight", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("bitmod3-g32,", StringComparison.Ordinal));
        Assert.Equal(0, CliRunner.Run("quantize", "--tensor", tensor + ":layer.weight", "--dtype", "int4").ExitCode);
    }

    [Theory]
    [InlineData("--dtype", "int4x", "unknown datatype 'int4x'")]
    [InlineData("--clip", "best", "'--clip' must be absmax or mse")]
    [InlineData("--group", "0", "'--group' must be at least 1")]
    public void BadOptionsGiveOneLineErrors(string option, string value, string expected)
    {
        var (exit, output, error) = CliRunner.Run("quantize", "--synthetic", "--rows", "4", "--cols", "32", option, value);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void BadTensorFilesGiveOneLineErrorsAndNoCsv()
    {
        string bad = Path.Combine(TempPath, "bad.safetensors");
        File.WriteAllBytes(bad, TensorIoTests.Safetensors("""{"w":{"dtype":"F32","shape":[4,4],"data_offsets":[0,64]}}""", new byte[8]));
        string csv = Path.Combine(TempPath, "never.csv");
        var (exit, _, error) = CliRunner.Run("quantize", "--tensor", bad, "--out", csv);
        Assert.Equal(2, exit);
        Assert.StartsWith("hwsim: error: bad.safetensors: tensor 'w'", error);
        Assert.DoesNotContain(" at ", error);
        Assert.False(File.Exists(csv));
        Assert.Equal(2, CliRunner.Run("quantize", "--tensor", Path.Combine(TempPath, "missing.safetensors")).ExitCode);
        Assert.Equal(2, CliRunner.Run("quantize").ExitCode);
        Assert.Equal(2, CliRunner.Run("quantize", "--synthetic", "--tensor", bad).ExitCode);
    }
}
