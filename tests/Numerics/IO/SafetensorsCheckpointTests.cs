using System.Text;
using HwSim.Numerics.IO;
using HwSim.Tests.Cli;

namespace HwSim.Tests.Numerics.IO;

/// <summary>
/// Checkpoint directories as transformers writes them: one model.safetensors, shards named by
/// model.safetensors.index.json, or loose *.safetensors files; every error names the file and the tensor.
/// Tensor bytes are written here by hand (<see cref="TensorIoTests.Safetensors"/>), values known in advance.
/// </summary>
public class SafetensorsCheckpointTests : TemporaryDirectory
{
    private const string Index = SafetensorsCheckpoint.IndexFile;

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(TempPath, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void WriteText(string name, string text) => File.WriteAllText(Path.Combine(TempPath, name), text);

    /// <summary>A file with one F32 tensor <paramref name="name"/> of shape rows × cols holding 1, 2, 3, … (times <paramref name="factor"/>).</summary>
    private void Tensor(string file, string name, int rows, int cols, float factor = 1) =>
        Write(file, TensorIoTests.Safetensors(
            $$$"""{"{{{name}}}":{"dtype":"F32","shape":[{{{rows}}},{{{cols}}}],"data_offsets":[0,{{{4 * rows * cols}}}]}}""",
            TensorIoTests.F32([.. Enumerable.Range(1, rows * cols).Select(v => v * factor)])));

    private InvalidDataException Fails(Action action) => Assert.Throws<InvalidDataException>(action);

    [Fact]
    public void OneModelFileIsTheCheckpointAndOtherFilesAreIgnored()
    {
        Tensor(SafetensorsCheckpoint.SingleFile, "w", 2, 3);
        Tensor("other.safetensors", "w", 1, 1); // would clash with "w" if it were read
        var checkpoint = SafetensorsCheckpoint.Open(TempPath);
        Assert.Equal("model.safetensors", checkpoint.Description);
        Assert.Equal(["model.safetensors"], checkpoint.Files);
        Assert.Equal(["w"], checkpoint.TensorNames);
        Assert.Equal(TempPath, checkpoint.Directory);
        Assert.True(checkpoint.Contains("w"));
        Assert.False(checkpoint.Contains("v"));
        Assert.Equal([1f, 2, 3, 4, 5, 6], checkpoint.Read("w").Values);
        Assert.Equal([1f, 2, 3, 4, 5, 6], checkpoint.Read("w", 2, 3));
        Assert.Equal("model.safetensors", checkpoint.FileOf("w"));
        Assert.Equal("model.safetensors", checkpoint.FileOf("v"));
    }

    [Fact]
    public void RowsAndSingleRowsReadTheirElements()
    {
        Tensor("m.safetensors", "e", 4, 3);
        var checkpoint = SafetensorsCheckpoint.Open(TempPath);
        var rows = new float[6];
        checkpoint.ReadRows("e", 1, rows);
        Assert.Equal([4f, 5, 6, 7, 8, 9], rows);
        var row = new float[3];
        checkpoint.ReadRow("e", 3, row);
        Assert.Equal([10f, 11, 12], row);
        var all = new float[12];
        checkpoint.ReadInto("e", all, 4, 3);
        Assert.Equal(Enumerable.Range(1, 12).Select(v => (float)v), all);
        Assert.Throws<ArgumentOutOfRangeException>(() => checkpoint.ReadRows("e", 3, new float[6]));
        Assert.Throws<ArgumentException>(() => checkpoint.ReadInto("e", new float[11], 4, 3));
    }

    [Fact]
    public void LooseFilesAreReadInOrdinalOrderAndMayNotShareTensors()
    {
        Tensor("b.safetensors", "x", 1, 2, factor: 10);
        Tensor("a.safetensors", "y", 1, 2);
        var checkpoint = SafetensorsCheckpoint.Open(TempPath);
        Assert.Equal("2 .safetensors files", checkpoint.Description);
        Assert.Equal(["a.safetensors", "b.safetensors"], checkpoint.Files);
        Assert.Equal("b.safetensors", checkpoint.FileOf("x"));
        Assert.Equal([10f, 20], checkpoint.Read("x").Values);
        Tensor("c.safetensors", "x", 1, 1);
        Assert.Equal("c.safetensors: tensor 'x' is also in b.safetensors", Fails(() => SafetensorsCheckpoint.Open(TempPath)).Message);
    }

    [Fact]
    public void ShapesAreCheckedAgainstTheConfig()
    {
        Tensor("a.safetensors", "w", 2, 3);
        var checkpoint = SafetensorsCheckpoint.Open(TempPath);
        Assert.Equal("a.safetensors", checkpoint.Description);
        Assert.Equal([2L, 3L], checkpoint.Entry("w", 2, 3).Shape);
        Assert.Equal("a.safetensors: tensor 'w' has shape [2, 3], the config needs [3, 2]", Fails(() => checkpoint.Entry("w", 3, 2)).Message);
        Assert.Equal("a.safetensors: tensor 'w' has shape [2, 3], the config needs [2, 3, 1]", Fails(() => checkpoint.Read("w", 2, 3, 1)).Message);
        Assert.Equal("a.safetensors: no tensor 'v'", Fails(() => checkpoint.Entry("v")).Message);
        Assert.Equal("a.safetensors: no tensor 'v'", Fails(() => checkpoint.Read("v")).Message);
    }

    [Fact]
    public void ShardsComeFromTheIndex()
    {
        Tensor("s1.safetensors", "a", 1, 2);
        Tensor("s2.safetensors", "b", 2, 1, factor: 3);
        Tensor("stray.safetensors", "c", 1, 1); // not in the index: ignored
        WriteText(Index, """{"metadata":{"total_size":16},"weight_map":{"b":"s2.safetensors","a":"s1.safetensors"}}""");
        var checkpoint = SafetensorsCheckpoint.Open(TempPath);
        Assert.Equal("2 shard(s) of model.safetensors.index.json", checkpoint.Description);
        Assert.Equal(["s1.safetensors", "s2.safetensors"], checkpoint.Files);
        Assert.Equal(["a", "b"], checkpoint.TensorNames.Order());
        Assert.Equal([3f, 6], checkpoint.Read("b").Values);
        Assert.Equal("s1.safetensors", checkpoint.FileOf("a"));
        Assert.False(checkpoint.Contains("c"));
    }

    public static TheoryData<string, string> BadIndexes() => new()
    {
        { """[1]""", $"{Index}: weight_map: missing or not an object" },
        { """{"weights":{}}""", $"{Index}: weight_map: missing or not an object" },
        { """{"weight_map":["a"]}""", $"{Index}: weight_map: missing or not an object" },
        { """{"weight_map":{"a":1}}""", $"{Index}: weight_map.a: must be a shard file name" },
        { """{"weight_map":{"a":""}}""", $"{Index}: weight_map.a: must be a shard file name" },
        { """{"weight_map":{"a":"../s1.safetensors"}}""", $"{Index}: weight_map.a: shard '../s1.safetensors' must be a file of the checkpoint directory" },
        { """{"weight_map":{"a":"x\\s1.safetensors"}}""", $"{Index}: weight_map.a: shard 'x\\s1.safetensors' must be a file of the checkpoint directory" },
        { """{"weight_map":{"a":"s1.safetensors","a":"s1.safetensors"}}""", $"{Index}: weight_map.a: appears twice" },
        { """{"weight_map":{"a":"s9.safetensors"}}""", $"{Index}: shard 's9.safetensors' does not exist" },
        { """{"weight_map":{"a":"s9.safetensors","b":"s8.safetensors"}}""", $"{Index}: shard 's8.safetensors' does not exist" },
        { """{"weight_map":{"z":"s1.safetensors"}}""", $"s1.safetensors: no tensor 'z', which {Index} places there" },
        { "{\n\"weight_map\": {", $"{Index}: not valid JSON (line 2)" },
    };

    [Theory]
    [MemberData(nameof(BadIndexes))]
    public void BadIndexesFailWithTheirField(string index, string message)
    {
        Tensor("s1.safetensors", "a", 1, 2);
        WriteText(Index, index);
        Assert.Equal(message, Fails(() => SafetensorsCheckpoint.Open(TempPath)).Message);
    }

    [Fact]
    public void MissingOrEmptyDirectoriesFail()
    {
        string missing = Path.Combine(TempPath, "nope");
        Assert.Equal($"{missing}: checkpoint directory does not exist", Fails(() => SafetensorsCheckpoint.Open(missing)).Message);
        WriteText("config.json", "{}");
        Assert.Equal($"{TempPath}: no model.safetensors, model.safetensors.index.json or other .safetensors file",
            Fails(() => SafetensorsCheckpoint.Open(TempPath)).Message);
    }

    [Fact]
    public void OneFileOnItsOwn()
    {
        Tensor("a.safetensors", "w", 1, 2);
        Tensor("b.safetensors", "w", 1, 2, factor: 5);
        var checkpoint = SafetensorsCheckpoint.OpenFile(Path.Combine(TempPath, "b.safetensors"));
        Assert.Equal("b.safetensors", checkpoint.Description);
        Assert.Equal(Path.GetFullPath(TempPath), checkpoint.Directory);
        Assert.Equal([5f, 10], checkpoint.Read("w").Values);
    }
}
