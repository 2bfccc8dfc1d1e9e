using HwSim.Arch.Spec;
using HwSim.Cli;
using HwSim.Numerics.IO;

namespace HwSim.Tests.Cli;

/// <summary>The error policy's parts that the bad-input corpus does not show one case at a time.</summary>
public class ErrorPolicyTests : TemporaryDirectory
{
    [Fact]
    public void AnUnknownCommandIsNamedWithTheKnownOnes()
    {
        var (exitCode, _, error) = CliRunner.Run("frobnicate");
        Assert.Equal(HwSimCli.ExitUsage, exitCode);
        Assert.Equal("hwsim: error: unknown command 'frobnicate' (expected one of version, simulate, demo, arch, trace, quantize, datatypes, export, cost, optimize, sweep, serve, evaluate)", error.Trim());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnUnexpectedExceptionIsOneInternalErrorLineAndDebugAddsTheStackTrace(bool debug)
    {
        Exception thrown;
        try
        {
            throw new OverflowException("Arithmetic operation resulted in an overflow.");
        }
        catch (OverflowException e)
        {
            thrown = e;
        }
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = HwSimCli.Report(thrown, new CliConsole(output, error), error, debug);
        Assert.Equal(HwSimCli.ExitInternal, exitCode);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("hwsim: internal error: OverflowException: Arithmetic operation resulted in an overflow.", lines[0]);
        Assert.Equal(debug, lines.Length > 1);
        Assert.Equal(debug, error.ToString().Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public void InputAndRunErrorsKeepTheirExitCodes()
    {
        int Code(Exception e) => HwSimCli.Report(e, new CliConsole(TextWriter.Null, TextWriter.Null), TextWriter.Null, debug: true);
        Assert.Equal(HwSimCli.ExitUsage, Code(new InvalidDataException("a.json: x")));
        Assert.Equal(HwSimCli.ExitUsage, Code(new FileNotFoundException("gone")));
        Assert.Equal(HwSimCli.ExitFailure, Code(new IOException("disk full")));
        Assert.Equal(HwSimCli.ExitInfeasible, Code(new UserInputException("infeasible", HwSimCli.ExitInfeasible)));
    }

    [Fact]
    public void ExportRemovesOnlyTheFilesItsPreviousExportWrote()
    {
        string user = Path.Combine(TempPath, "notes.txt");
        File.WriteAllText(user, "mine");
        Assert.Equal(0, CliRunner.Run("export", "--arch", "olive", "--out", TempPath).ExitCode);
        Assert.True(File.Exists(Path.Combine(TempPath, "hwsim_ovp_pair_decoder.sv")));

        var (exitCode, output, error) = CliRunner.Run("export", "--arch", "bitmod", "--out", TempPath);
        Assert.True(exitCode == 0, error);
        Assert.Contains("removed hwsim_ovp_pair_decoder.sv", output);
        Assert.False(File.Exists(Path.Combine(TempPath, "hwsim_ovp_pair_decoder.sv")));
        Assert.Equal("mine", File.ReadAllText(user));
        var listed = File.ReadAllLines(Path.Combine(TempPath, ExportManifest.FileName));
        Assert.Equal(Directory.GetFiles(TempPath).Select(Path.GetFileName).Where(n => n is not ("notes.txt" or ExportManifest.FileName)).Order(), listed.Order());
    }

    [Fact]
    public void AManifestNeverReachesOutsideItsDirectory()
    {
        string outside = Path.Combine(TempPath, "keep.sv");
        File.WriteAllText(outside, "x");
        string directory = Directory.CreateDirectory(Path.Combine(TempPath, "rtl")).FullName;
        File.WriteAllText(Path.Combine(directory, ExportManifest.FileName), "../keep.sv\n/etc/hostname\n.\n");
        ExportManifest.Replace(directory, ["a.sv"]);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public void InputsAreReadUpToTheirLimit()
    {
        string path = Path.Combine(TempPath, "big.json");
        File.WriteAllBytes(path, new byte[1000]);
        Assert.Equal(1000, BoundedFile.ReadAllBytes(path, 1000).Length);
        var error = Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes(path, 999));
        Assert.StartsWith("big.json: larger than 999 bytes", error.Message);
    }

    [Fact]
    public void TheAcceleratorJsonThatArchPrintsReadsBackAndItsClockHzIsChecked()
    {
        string json = CliRunner.Run("arch", "bitmod").Output;
        Assert.Contains("\"clockHz\": 1000000000", json);
        Assert.Equal(json, AcceleratorSpecJson.Write(AcceleratorSpecJson.Read(json)));
        var error = Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(json.Replace("\"clockHz\": 1000000000", "\"clockHz\": 2000000000")));
        Assert.StartsWith("accelerator.json: clockHz: 2000000000 disagrees with clockMhz 1000", error.Message);
    }

    [Fact]
    public void ADemoPastTheEndOfSimulatedTimeIsAnInputError()
    {
        var (exitCode, _, error) = CliRunner.Run("demo", "--producer-cycles", "9223372036854775807");
        Assert.Equal(HwSimCli.ExitUsage, exitCode);
        Assert.StartsWith("hwsim: error: --items x (--producer-cycles + --consumer-cycles)", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
