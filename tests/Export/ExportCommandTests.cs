using HwSim.Arch.Plans;
using HwSim.Tests.Cli;

namespace HwSim.Tests.Export;

public sealed class ExportCommandTests : TemporaryDirectory
{
    [Fact]
    public void ExportWritesTheHeadersAndReferenceRtlAndChecksThem()
    {
        string output = Path.Combine(TempPath, "rtl");
        var (exit, text, error) = CliRunner.Run("export", "--arch", "olive", "--out", output, "--check");
        Assert.True(exit == 0, text + error);
        foreach (string file in new[] { "hwsim_params_pkg.sv", "hwsim_params.vh", "hwsim_params.h", "hwsim_pe.sv", "hwsim_ovp_pair_decoder.sv" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.DoesNotContain("FAIL", text);
        Assert.Contains("pass  cc -Wall -Wextra -Werror hwsim_params.h", text);
    }

    [Fact]
    public void ExportTakesAPlanFile()
    {
        string plan = Path.Combine(TempPath, "plan.json");
        File.WriteAllText(plan, PrecisionPlanJson.Write(new PrecisionPlan("llama-2-7b", "bitmod", [new(3, "up_proj", "bitmod3")])));
        var (exit, _, error) = CliRunner.Run("export", "--arch", "bitmod", "--plan", plan, "--out", TempPath);
        Assert.True(exit == 0, error);
        Assert.Contains("PLAN_ENTRIES = 1;", File.ReadAllText(Path.Combine(TempPath, "hwsim_params_pkg.sv")));
    }

    [Fact]
    public void ABadPlanIsOneLineAndWritesNothing()
    {
        string plan = Path.Combine(TempPath, "plan.json");
        File.WriteAllText(plan, """{"model": "m", "arch": "bitmod", "entries": [{"layer": 0, "op": "q_proj", "weights": "mystery9"}]}""");
        string output = Path.Combine(TempPath, "rtl");
        var (exit, _, error) = CliRunner.Run("export", "--arch", "bitmod", "--plan", plan, "--out", output);
        Assert.Equal(2, exit);
        Assert.StartsWith("hwsim: error: plan.json: entries[0].weights: unknown datatype 'mystery9'", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(output));
    }
}
