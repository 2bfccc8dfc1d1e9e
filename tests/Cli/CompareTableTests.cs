using HwSim.Arch.Fast;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Cli.Commands;
using HwSim.Numerics.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Cli;

public class CompareTableTests : TemporaryDirectory
{
    private static Workload Trace(string model, int prompt, int generate) => LlmTracer.Trace(new TraceRequest(ModelZoo.Get(model), 1, prompt, generate));

    [Fact]
    public void BitmodsSpeedupIsTheOtherDesignsCyclesOverBitmods()
    {
        var workload = Trace("opt-1.3b", 32, 3);
        var runs = CompareTable.Run(workload, ["ant-gen", "bitmod-gen"]);
        // Independently: ANT at the 5 mean bits of the authors' test_ant.py for OPT-1.3B, BitMoD at its own datatypes.
        var antSpec = Presets.Find("ant-gen")!;
        var antFormats = RunFormats.Default(antSpec);
        var mean = new PhaseWeights(antFormats.Prefill.Datatype, new StorageFormat("five", 5));
        var ant = FastSimulator.Run(antSpec, workload, antFormats with { Prefill = mean, Decode = mean });
        var bitmod = FastSimulator.Run(Presets.Find("bitmod-gen")!, workload, RunFormats.Default(Presets.Find("bitmod-gen")!));
        Assert.Same(runs[1], CompareTable.Bitmod(runs));
        Assert.Equal((double)ant.DecodeCycles / bitmod.DecodeCycles, CompareTable.SpeedupOver(runs[1], runs[0], Phase.Decode));
        Assert.Equal((double)ant.PrefillCycles / bitmod.PrefillCycles, CompareTable.SpeedupOver(runs[1], runs[0], Phase.Prefill));
        Assert.Equal((double)(ant.PrefillCycles + ant.DecodeCycles) / (bitmod.PrefillCycles + bitmod.DecodeCycles), CompareTable.SpeedupOver(runs[1], runs[0], null));
        Assert.True(CompareTable.SpeedupOver(runs[1], runs[0], Phase.Decode) > 1);
    }

    [Fact]
    public void DecodeSpeedupsOnThePapersSixModelsAreWithinTenPercentOfTheAuthorsSimulator()
    {
        // abdelfattah-lab/BitMoD-HPCA-25 @e445a5f bitmod_sim/: mean decode speedup of generative BitMoD over ANT 1.60x
        // and over OliVe 1.35x (one generated token at context 256, test_*.py --is_generation).
        string[] models = ["opt-1.3b", "phi-2", "yi-6b", "llama-2-7b", "llama-2-13b", "llama-3-8b"];
        double overAnt = 0, overOlive = 0;
        foreach (string model in models)
        {
            var runs = CompareTable.Run(Trace(model, 256, 20), ["ant-gen", "olive-gen", "bitmod-gen"]);
            overAnt += CompareTable.SpeedupOver(runs[2], runs[0], Phase.Decode) / models.Length;
            overOlive += CompareTable.SpeedupOver(runs[2], runs[1], Phase.Decode) / models.Length;
        }
        Assert.InRange(overAnt, 1.60 * 0.9, 1.60 * 1.1);
        Assert.InRange(overOlive, 1.35 * 0.9, 1.35 * 1.1);
    }

    [Fact]
    public void ADesignMayRunADatatypeOfItsPePerPhase()
    {
        string[] designs = ["ant-gen", "bitmod-gen", "bitmod-gen:bitmod3", "bitmod-gen:int6/int4"];
        var runs = CompareTable.Run(Trace("opt-1.3b", 16, 2), designs);
        Assert.Equal(designs, runs.Select(r => r.Label));
        Assert.Equal([(5.0, 5.0), (4.0625, 3.0625), (3.0625, 3.0625), (6.0, 4.125)],
            runs.Select(r => (r.Result.Formats.Prefill.Bytes.EffectiveBits, r.Result.Formats.Decode.Bytes.EffectiveBits)));
        // Only designs named alone take the paper simulator's mean bits (ANT on OPT-1.3B: 5) and show its ratios.
        Assert.Equal([true, true, false, false], runs.Select(r => r.PaperWeights));
        Assert.Equal(runs[2].Result.DecodeCycles, runs[1].Result.DecodeCycles);
        var (exit, output, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "16", "--generate", "2", "--compare", string.Join(',', designs));
        Assert.True(exit == 0, error);
        Assert.Contains("weight bits", output);
        Assert.Contains("1.69x", output);
    }

    [Theory]
    [InlineData("--weights", "int8", "option '--weights' does not apply with --compare")]
    [InlineData("--arch", "ant", "option '--arch' does not apply with --compare")]
    [InlineData("--top", "3", "option '--top' does not apply with --compare")]
    public void OptionsThatDoNotApplyWithCompareAreRejected(string option, string value, string expected)
    {
        var (exit, _, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--compare", "ant,bitmod", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("bitmod:ovp4", "--compare bitmod:ovp4: weights: 'ovp4' is not a weight type bitmod's PE supports")]
    [InlineData("bitmod:", "--compare: 'bitmod:' is not design or design:datatype")]
    [InlineData("bitmod:int4/int4/int4", "--compare bitmod:int4/int4/int4: 'int4/int4/int4' is not a datatype or PREFILL/DECODE datatypes")]
    [InlineData("nonesuch:int8", "--compare: 'nonesuch' is neither a preset")]
    public void BadDesignsAreOneLine(string design, string expected)
    {
        var (exit, _, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--compare", design);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void ThePlanOptionIsRejectedWithCompare()
    {
        string plan = Path.Combine(TempPath, "plan.json");
        File.WriteAllText(plan, PrecisionPlanJson.Write(new PrecisionPlan("opt-1.3b", "bitmod", [new(0, "q_proj", "int8")])));
        var (exit, _, error) = CliRunner.Run("simulate", "--model", "opt-1.3b", "--prompt", "8", "--generate", "1", "--compare", "ant,bitmod", "--plan", plan);
        Assert.Equal(2, exit);
        Assert.Contains("option '--plan' does not apply with --compare", error);
    }
}
