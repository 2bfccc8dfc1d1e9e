using HwSim.Arch.Plans;
using HwSim.Cli;
using HwSim.Cli.Commands;
using HwSim.Tests.Cli;

namespace HwSim.Tests.CostModels;

public sealed class OptimizeCommandTests : TemporaryDirectory
{
    private static readonly string[] Small = ["--model", "llama-2-7b", "--prompt", "32", "--generate", "2", "--sample-rows", "8"];

    [Fact]
    public void OptimizeWritesAPlanThatSimulateAndExportTake()
    {
        string plan = Path.Combine(TempPath, "plan.json");
        var (exit, output, error) = CliRunner.Run(["optimize", .. Small, "--arch", "bitmod", "--latency-budget", "0.8x",
            "--candidates", "int4,int8,bitmod3,bitmod4", "--pareto", "4", "--out", plan]);
        Assert.True(exit == 0, error);
        Assert.Contains("solver: SCIP, optimal", output);
        Assert.Contains("Pareto frontier", output);
        var written = PrecisionPlanJson.Load(plan);
        Assert.Equal(32 * 7 + 1, written.Entries.Count);
        var simulated = CliRunner.Run("simulate", "--model", "llama-2-7b", "--prompt", "32", "--generate", "2", "--arch", "bitmod", "--plan", plan);
        Assert.True(simulated.ExitCode == 0, simulated.Error);
        Assert.Contains("plan: ", simulated.Output);
        var exported = CliRunner.Run("export", "--arch", "bitmod", "--plan", plan, "--out", Path.Combine(TempPath, "rtl"));
        Assert.True(exported.ExitCode == 0, exported.Error);
    }

    [Fact]
    public void AnInfeasibleBudgetExitsThreeWithTheSmallestLatency()
    {
        string plan = Path.Combine(TempPath, "plan.json");
        var (exit, _, error) = CliRunner.Run(["optimize", .. Small, "--arch", "bitmod", "--latency-budget", "0.1x",
            "--candidates", "bitmod4,int8", "--pareto", "0", "--out", plan]);
        Assert.Equal(OptimizeCommand.ExitInfeasible, exit);
        Assert.StartsWith("hwsim: error: infeasible: the smallest achievable latency is ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(plan));
    }

    [Fact]
    public void CpSatIsSelectable()
    {
        var (exit, output, error) = CliRunner.Run(["optimize", .. Small, "--arch", "bitmod", "--memory-budget", "0.6x",
            "--candidates", "bitmod3,bitmod4,int8", "--solver", "cp-sat", "--pareto", "0", "--out", Path.Combine(TempPath, "p.json")]);
        Assert.True(exit == 0, error);
        Assert.Contains("solver: CP-SAT, optimal", output);
        Assert.Contains("of the true optimum", output);
    }

    [Fact]
    public void ADatatypeOutsideTheDesignComesWithTheExtendedDesign()
    {
        string plan = Path.Combine(TempPath, "plan.json");
        // With only ovp4 and int8 to choose from, any budget under the all-int8 latency needs some ovp4.
        var (exit, output, error) = CliRunner.Run(["optimize", .. Small, "--arch", "bitmod", "--latency-budget", "0.9x",
            "--candidates", "ovp4,int8", "--pareto", "0", "--out", plan]);
        Assert.True(exit == 0, error);
        Assert.Contains(PrecisionPlanJson.Load(plan).Entries, e => e.Weights == "ovp4");
        Assert.Contains("extended design", output);
        string arch = Path.Combine(TempPath, "plan.arch.json");
        var simulated = CliRunner.Run("simulate", "--model", "llama-2-7b", "--prompt", "32", "--generate", "2", "--arch", arch, "--plan", plan);
        Assert.True(simulated.ExitCode == 0, simulated.Error);
    }

    [Theory]
    [InlineData("--latency-budget", "fast", "option '--latency-budget': 'fast' is not a number with an optional unit (e.g. 0.8x)")]
    [InlineData("--latency-budget", "3parsecs", "option '--latency-budget': unknown unit 'parsecs'")]
    [InlineData("--solver", "glpk", "option '--solver': 'glpk' is not scip or cp-sat")]
    [InlineData("--candidates", "mystery9", "candidates: unknown datatype 'mystery9'")]
    public void BadOptionsAreOneLine(string option, string value, string message)
    {
        var (exit, _, error) = CliRunner.Run(["optimize", .. Small, "--pareto", "0", option, value, "--out", Path.Combine(TempPath, "p.json")]);
        Assert.Equal(2, exit);
        Assert.StartsWith("hwsim: error: " + message, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("0.5x", 1000, 500)]
    [InlineData("2000", 1000, 2000)]
    [InlineData("2000cycles", 1000, 2000)]
    [InlineData("1ms", 1000, 1_000_000)]
    public void LatencyBudgetsParse(string text, long widest, long expected) =>
        Assert.Equal(expected, BudgetText.Latency(text, widest, 1_000_000_000));

    [Fact]
    public void OtherBudgetsParse()
    {
        Assert.Equal(8_000_000_000, BudgetText.Memory("1GB", 1));
        Assert.Equal(8L * 1024 * 1024 * 1024, BudgetText.Memory("1GiB", 1));
        Assert.Equal(500_000_000_000, BudgetText.Energy("0.5J", 1));
        Assert.Equal(5_500_000, BudgetText.Area("5.5mm2", 1));
        Assert.Equal(110, BudgetText.Area("1.1x", 100));
    }

    [Fact]
    public void CostPrintsAreaAndEnergyPerToken()
    {
        var (exit, output, error) = CliRunner.Run("cost", "--arch", "bitmod", "--model", "opt-1.3b", "--prompt", "64", "--generate", "4");
        Assert.True(exit == 0, error);
        Assert.Contains("area of bitmod at 28 nm", output);
        Assert.Contains("uJ / generated token", output);
        Assert.Contains("DRAM", output);
    }

    [Fact]
    public void ABadCostTableIsOneLine()
    {
        string table = Path.Combine(TempPath, "costs.csv");
        File.WriteAllText(table, "item,quantity,bits,capacity_bytes,node_nm,value,unit,width_exponent,source\npe_bitmod,area,4,,28,1000,um2,0,\n");
        var (exit, _, error) = CliRunner.Run("cost", "--arch", "bitmod", "--costs", table, "--prompt", "8", "--generate", "1");
        Assert.Equal(2, exit);
        Assert.Equal("hwsim: error: costs.csv line 2: pe_bitmod has no source; every cost must cite where it comes from", error.Trim());
    }
}
