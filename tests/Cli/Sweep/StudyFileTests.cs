using System.Text.Json.Nodes;
using HwSim.Arch.Spec;
using HwSim.Cli.Sweep;

namespace HwSim.Tests.Cli.Sweep;

public class StudyFileTests : TemporaryDirectory
{
    private string Write(string name, string text)
    {
        string path = Path.Combine(TempPath, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ArraySizesStudyHas48PointsInFileOrder()
    {
        var study = StudyFile.Load(SweepFixtures.Study("array-sizes.yaml"));
        var points = new PointResolver(study).All();
        Assert.Equal(3 * 4 * 2 * 2, points.Count);
        Assert.Equal(["array.rows", "array.cols", "model", "prompt"], study.Axes.Select(a => a.Name));
        // Designs vary slowest, the last axis fastest: point 1 differs from point 0 in the prompt only.
        Assert.Equal("design=fp16-baseline, array.rows=16, array.cols=16, model=opt-1.3b, prompt=16", points[0].Label);
        Assert.Equal("design=fp16-baseline, array.rows=16, array.cols=16, model=opt-1.3b, prompt=32", points[1].Label);
        Assert.Equal("design=bitmod, array.rows=128, array.cols=128, model=llama-2-7b, prompt=32", points[47].Label);
        Assert.Equal(48, points.Select(p => p.Hash).Distinct().Count());
        // The path edits give the same design as editing the record directly.
        var preset = Presets.Find("ant")!;
        var edited = preset with { Array = preset.Array with { Rows = 64, Cols = 64 } };
        Assert.Equal(AcceleratorSpecJson.Write(edited), AcceleratorSpecJson.Write(points.Single(p => p.Label == "design=ant, array.rows=64, array.cols=64, model=opt-1.3b, prompt=16").Spec));
    }

    [Theory]
    [InlineData("design-space.yaml", 3 * 4 * 2 * 2 * 2)]
    [InlineData("bench-1000.yaml", 1000)]
    public void ShippedStudiesResolve(string name, int points) =>
        Assert.Equal(points, new PointResolver(StudyFile.Load(SweepFixtures.Study(name))).All().Count);

    [Fact]
    public void JsonAndYamlOfTheSameStudyResolveToTheSameKeys()
    {
        string yaml = Write("s.yaml", "designs: [bitmod]\nworkload: {model: opt-1.3b, prompt: 8, generate: 2}\naxes:\n  dram.bytesPerCycle: [32, 64]\n  weights: [int4, 'bitmod4/bitmod3']\n");
        string json = Write("s.json", """{"axes": {"dram.bytesPerCycle": [32, 64], "weights": ["int4", "bitmod4/bitmod3"]}, "workload": {"generate": 2, "prompt": 8, "model": "opt-1.3b"}, "designs": ["bitmod"]}""");
        var fromYaml = new PointResolver(StudyFile.Load(yaml)).All();
        var fromJson = new PointResolver(StudyFile.Load(json)).All();
        Assert.Equal(fromYaml.Select(p => p.Hash), fromJson.Select(p => p.Hash));
        Assert.Equal(32, ((HwSim.Arch.Memory.SimpleDramSpec)fromYaml[0].Spec.Dram).BytesPerCycle);
        Assert.Equal("bitmod3", fromYaml[1].Formats.Decode.Datatype.Name);
        // Another value is another key.
        string other = Write("o.yaml", File.ReadAllText(yaml).Replace("32, 64", "32, 128"));
        var changed = new PointResolver(StudyFile.Load(other)).All();
        Assert.Equal(fromYaml[0].Hash, changed[0].Hash);
        Assert.NotEqual(fromYaml[2].Hash, changed[2].Hash);
    }

    [Theory]
    [InlineData("designs: [bitmod]\naxess:\n  prompt: [8]\n", "s.yaml: axess: unknown key (expected one of name, designs, workload, axes, zip, constraints, metrics, costs)")]
    [InlineData("designs: [bitmod]\nworkload: {modle: opt-1.3b}\n", "s.yaml: workload.modle: unknown key")]
    [InlineData("designs: [bitmod]\naxes:\n  array.rows: [32, 0]\n", "s.yaml: point 1 (design=bitmod, array.rows=0): array.rows")]
    [InlineData("designs: [bitmod]\naxes:\n  array.rowz: [32]\n", "s.yaml: point 0 (design=bitmod, array.rowz=32): array.rowz: ")]
    [InlineData("designs: [bitmod]\naxes:\n  weights: [ant4]\n", "s.yaml: point 0 (design=bitmod, weights=ant4): weights:")]
    [InlineData("designs: [bitmod]\naxes:\n  model: [gpt-9]\n", "s.yaml: point 0 (design=bitmod, model=gpt-9): model: 'gpt-9' is neither a built-in model")]
    [InlineData("designs: [bitmod]\nzip:\n  - {array.rows: [16, 32], array.cols: [16]}\n", "s.yaml: zip[0]: zipped lists differ in length (array.rows: 2, array.cols: 1)")]
    [InlineData("designs: [bitmod]\naxes:\n  array.rows: [32, 32]\n", "resolve to the same inputs")]
    [InlineData("designs: [bitmod]\nconstraints: ['area_mm2 < x']\n", "s.yaml: constraints[0]: 'x' is not a finite number")]
    [InlineData("designs: [bitmod]\nmetrics: [speed]\n", "s.yaml: metrics[0]: unknown metric 'speed'")]
    [InlineData("designs: [nope]\n", "s.yaml: designs: 'nope' is neither a preset")]
    [InlineData("designs: [bitmod\n", "s.yaml: not valid YAML")]
    public void RejectsBadStudiesWithOneLineNamingTheKey(string text, string message)
    {
        string path = Write("s.yaml", text);
        var (exit, _, error) = CliRunner.Run("sweep", path, "--results", Path.Combine(TempPath, "out"));
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(TempPath, "out")), "nothing runs before the whole study is valid");
    }

    [Fact]
    public void ObjectValuesReplaceAWholeSubtree()
    {
        var preset = Presets.Find("ant")!;
        var pe = (JsonObject)System.Text.Json.JsonSerializer.SerializeToNode(preset.Pe, StrictJson.Options)!;
        pe["dotProductWidth"] = 8;
        string path = Write("pe.json", new JsonObject { ["designs"] = new JsonArray("ant"), ["axes"] = new JsonObject { ["pe"] = new JsonArray(pe) } }.ToJsonString());
        var point = new PointResolver(StudyFile.Load(path)).All().Single();
        Assert.Equal(8, point.Spec.Pe.DotProductWidth);
    }
}
