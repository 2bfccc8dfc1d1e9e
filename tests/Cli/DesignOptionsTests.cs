using HwSim.Arch.Plans;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Cli;

public class DesignOptionsTests : TemporaryDirectory
{
    private string WritePlan(PrecisionPlan plan)
    {
        string path = Path.Combine(TempPath, "plan.json");
        File.WriteAllText(path, PrecisionPlanJson.Write(plan));
        return path;
    }

    private static readonly string[] Small = ["--model", "opt-1.3b", "--prompt", "8", "--generate", "1"];

    [Theory]
    [InlineData("llama-2-7b", 0, "q_proj", "plan.json: model: the plan is for 'llama-2-7b', the workload is 'opt-1.3b'")]
    [InlineData("opt-1.3b", 40, "q_proj", "plan.json: entries[0].layer: opt-1.3b has no layer 40")]
    [InlineData("opt-1.3b", 0, "gate_proj", "plan.json: entries[0].op: layer 0 of opt-1.3b has no linear op 'gate_proj'")]
    public void APlanIsCheckedAgainstTheWorkload(string model, int layer, string op, string expected)
    {
        string plan = WritePlan(new PrecisionPlan(model, "bitmod", [new(layer, op, "int8")]));
        foreach (string command in (string[])["simulate", "cost"])
        {
            var (exit, _, error) = CliRunner.Run([command, .. Small, "--arch", "bitmod", "--plan", plan]);
            Assert.Equal(2, exit);
            Assert.StartsWith($"hwsim: error: {expected}", error);
            Assert.Single(error.Trim().Split('\n'));
        }
    }

    [Fact]
    public void ExportChecksAPlanAgainstItsBuiltInModelAndTakesNoPhases()
    {
        string plan = WritePlan(new PrecisionPlan("opt-1.3b", "bitmod", [new(0, "q_proj", "int8"), new(24, "fc1", "int8")]));
        var (exit, _, error) = CliRunner.Run("export", "--arch", "bitmod", "--plan", plan, "--out", Path.Combine(TempPath, "rtl"));
        Assert.Equal(2, exit);
        Assert.StartsWith("hwsim: error: plan.json: entries[1].layer: opt-1.3b has no layer 24", error);
        plan = WritePlan(new PrecisionPlan("opt-1.3b", "bitmod", [new(0, "q_proj", "int8"), new(1, "fc1", "int8", Phase.Decode)]));
        (exit, _, error) = CliRunner.Run("export", "--arch", "bitmod", "--plan", plan, "--out", Path.Combine(TempPath, "rtl"));
        Assert.Equal(2, exit);
        Assert.StartsWith("hwsim: error: plan entries[1].phase: the exported schedule applies each entry to both phases", error);
    }

    [Fact]
    public void WeightsMayDifferPerPhase()
    {
        var (exit, output, error) = CliRunner.Run(["simulate", .. Small, "--arch", "bitmod", "--weights", "bitmod4/bitmod3", "--top", "0"]);
        Assert.True(exit == 0, error);
        Assert.Contains("prefill bitmod4-g128 (4.0625 bits), decode bitmod3-g128 (3.0625 bits) / int8", output);
        (exit, output, error) = CliRunner.Run(["simulate", .. Small, "--arch", "bitmod-gen", "--weights", "int8", "--top", "0"]);
        Assert.True(exit == 0, error);
        Assert.Contains("int8 (8.0000 bits) / int8", output);
        (exit, _, error) = CliRunner.Run(["simulate", .. Small, "--weights", "bitmod4/"]);
        Assert.Equal(2, exit);
        Assert.Contains("--weights: 'bitmod4/' is not a datatype or PREFILL/DECODE datatypes", error);
    }

    [Fact]
    public void APerPhasePlanShowsEachPhasesMix()
    {
        string plan = WritePlan(new PrecisionPlan("opt-1.3b", "bitmod", [new(0, "q_proj", "int8", Phase.Decode), new(0, "q_proj", "int6", Phase.Prefill), new(1, "fc1", "int4")]));
        var (exit, output, error) = CliRunner.Run(["simulate", .. Small, "--arch", "bitmod", "--plan", plan, "--top", "0"]);
        Assert.True(exit == 0, error);
        Assert.Contains("plan: prefill int4 x1, int6 x1; decode int4 x1, int8 x1", output);
    }

    [Fact]
    public void EveryCommandThatTakesADesignDescribesItsOptionsAlike()
    {
        // The option's help line, with the column padding (which depends on the command's longest option) collapsed.
        string Line(string command, string option) => string.Join(' ', CliRunner.Run(command, "--help").Output.Split('\n')
            .Single(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string arch = Line("simulate", "--arch");
        foreach (string command in (string[])["cost", "optimize", "export"]) Assert.Equal(arch, Line(command, "--arch"));
        Assert.Equal(Line("simulate", "--plan"), Line("cost", "--plan"));
        Assert.Equal(Line("simulate", "--plan"), Line("export", "--plan"));
        Assert.Equal(Line("simulate", "--weights"), Line("cost", "--weights"));
        // optimize chooses the weights itself, and export writes the description's.
        var (exit, _, _) = CliRunner.Run("optimize", "--weights", "int8");
        Assert.Equal(2, exit);
        (exit, _, _) = CliRunner.Run("export", "--weights", "int8");
        Assert.Equal(2, exit);
    }
}
