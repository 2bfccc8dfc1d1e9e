using HwSim.Arch.Plans;

namespace HwSim.Tests.Arch.Plans;

/// <summary>Precision plans loaded from files: read back as written, and a bad one named by its file name only.</summary>
public sealed class PlanFilesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hwsim-plan-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LoadReadsTheFileAndNamesItByItsFileName()
    {
        var plan = new PrecisionPlan("opt-1.3b", "bitmod", [new PlanEntry(0, "q_proj", "int8"), new PlanEntry(-1, "lm_head", "int4")]);
        string path = Path.Combine(directory, "mine.json");
        File.WriteAllText(path, PrecisionPlanJson.Write(plan));
        var back = PrecisionPlanJson.Load(path);
        Assert.Equal((plan.Model, plan.Arch), (back.Model, back.Arch));
        Assert.Equal(plan.Entries, back.Entries);
        File.WriteAllText(path, PrecisionPlanJson.Write(plan with { Entries = [new PlanEntry(-2, "lm_head", "int4")] }));
        Assert.Equal("mine.json: entries[0].layer: must be a layer number or -1 for ops outside the layers (got -2)",
            Assert.Throws<InvalidDataException>(() => PrecisionPlanJson.Load(path)).Message);
        // Read without a source names the default file.
        Assert.StartsWith("plan.json: entries[0].layer: ", Assert.Throws<InvalidDataException>(() => PrecisionPlanJson.Read(File.ReadAllText(path))).Message);
    }
}
