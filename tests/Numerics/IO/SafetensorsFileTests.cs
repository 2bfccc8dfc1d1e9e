using HwSim.Numerics.IO;
using HwSim.Tests.Cli;

namespace HwSim.Tests.Numerics.IO;

/// <summary>
/// The safetensors reader beyond the cases of <see cref="TensorIoTests"/>: its limits at their boundaries, every
/// header-field message, element ranges, F64 data, and non-finite elements named by index.
/// </summary>
public class SafetensorsFileTests : TemporaryDirectory
{
    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(TempPath, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteSafetensors(string header, byte[] data) => Write("t.safetensors", TensorIoTests.Safetensors(header, data));

    private static string Message(Action action) => Assert.Throws<InvalidDataException>(action).Message;

    [Fact]
    public void HeaderLengthIsCheckedAgainstTheLimitAndTheFile()
    {
        // Exactly the limit is allowed (and then the file is too short); one more byte is not.
        byte[] atLimit = [.. BitConverter.GetBytes((ulong)SafetensorsFile.MaxHeaderBytes), .. "{}"u8.ToArray()];
        Assert.Equal("a.safetensors: truncated: header needs 100000000 bytes, file has 2 after the length",
            Message(() => SafetensorsFile.Open(Write("a.safetensors", atLimit))));
        byte[] overLimit = [.. BitConverter.GetBytes((ulong)SafetensorsFile.MaxHeaderBytes + 1), .. "{}"u8.ToArray()];
        Assert.Equal("b.safetensors: header length 100000001 exceeds 100000000 bytes", Message(() => SafetensorsFile.Open(Write("b.safetensors", overLimit))));
        Assert.Equal("c.safetensors: too short for a safetensors header (7 bytes)", Message(() => SafetensorsFile.Open(Write("c.safetensors", new byte[7]))));
        // A header one byte longer than what follows the length is truncated (3 announced, 2 present).
        Assert.Equal("g.safetensors: truncated: header needs 3 bytes, file has 2 after the length",
            Message(() => SafetensorsFile.Open(Write("g.safetensors", [3, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']))));
        // Eight bytes hold the length (0) and nothing else: long enough to read, then an empty header is no JSON.
        Assert.StartsWith("e.safetensors: header is not valid JSON", Message(() => SafetensorsFile.Open(Write("e.safetensors", new byte[8]))));
        // A header that ends exactly at the end of the file is complete.
        Assert.Empty(SafetensorsFile.Open(Write("d.safetensors", TensorIoTests.Safetensors("{}", []))).Entries);
    }

    [Fact]
    public void PaddedHeadersMetadataAndAdjacentTensorsAreRead()
    {
        // The format pads the header with spaces to an 8-byte boundary; tensors may end where the next begins.
        string header = """{"__metadata__":{"k":"v"},"b":{"dtype":"F64","shape":[2],"data_offsets":[8,24]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        byte[] data = [.. TensorIoTests.F32(1.5f, -2), .. BitConverter.GetBytes(0.25), .. BitConverter.GetBytes(-1e300)];
        var file = SafetensorsFile.Open(WriteSafetensors(header + "     ", data));
        Assert.Equal(["b", "a"], file.Entries.Select(e => e.Name));
        Assert.Equal([1.5f, -2f], file.Read("a").Values);
        // −1e300 is finite in F64 but not in float: the reader names it instead of returning it.
        var first = new float[1];
        file.ReadRange(file.Entry("b"), 0, first);
        Assert.Equal(0.25f, first[0]);
        Assert.Equal("t.safetensors: tensor 'b': element 1 is -Infinity; weights must be finite", Message(() => file.Read("b")));
        Assert.Equal("t.safetensors", file.FileName);
        Assert.True(file.Contains("a"));
        Assert.False(file.Contains("__metadata__"));
    }

    [Fact]
    public void RangesAreCheckedAndNonFiniteElementsNamedByTheirIndex()
    {
        string header = """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""";
        var file = SafetensorsFile.Open(WriteSafetensors(header, TensorIoTests.F32(1, 2, 3, float.NaN, 5, 6)));
        var entry = file.Entry("w");
        var two = new float[2];
        file.ReadRange(entry, 1, two);
        Assert.Equal([2f, 3f], two);
        file.ReadRange(entry, 6, Span<float>.Empty); // an empty range at the end is allowed
        Assert.Equal("t.safetensors: tensor 'w': element 3 is NaN; weights must be finite", Message(() => file.ReadRange(entry, 2, new float[2])));
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadRange(entry, 5, new float[2]));
        Assert.Contains("elements 5..7 are outside tensor 'w' (6 elements)", outside.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadRange(entry, -1, new float[1]));
        Assert.Contains("has 6 elements, the buffer 5", Assert.Throws<ArgumentException>(() => file.ReadInto(entry, new float[5])).Message);
        var progress = new List<double>();
        var last = new float[2];
        file.ReadRange(entry, 4, last, new SynchronousProgress(progress));
        Assert.Equal([5f, 6f], last);
        Assert.Equal([1.0], progress);
    }

    [Fact]
    public void LargeRangesAreConvertedInChunksWithProgress()
    {
        // 2^22 + 3 F16 elements: one chunk of 2^22 elements, then 3; element i holds i mod 2048 (exact in FP16), except
        // the last, a NaN in the second chunk, which must be named by its index in the tensor.
        const int chunk = 1 << 22, count = chunk + 3;
        var data = new byte[2 * count];
        for (int i = 0; i < count; i++) BitConverter.TryWriteBytes(data.AsSpan(2 * i), i == count - 1 ? Half.NaN : (Half)(i % 2048));
        var file = SafetensorsFile.Open(WriteSafetensors($$$"""{"h":{"dtype":"F16","shape":[{{{count}}}],"data_offsets":[0,{{{2 * count}}}]}}""", data));
        var progress = new List<double>();
        var values = new float[count];
        Assert.Equal($"t.safetensors: tensor 'h': element {count - 1} is NaN; weights must be finite",
            Message(() => file.ReadInto(file.Entry("h"), values, new SynchronousProgress(progress))));
        Assert.Equal([(double)chunk / count], progress);
        Assert.Equal((2047f, 0f, 1f), (values[chunk - 1], values[chunk], values[chunk + 1]));
        int firstWrong = -1;
        for (int i = 0; i < count - 1 && firstWrong < 0; i++) if (values[i] != i % 2048) firstWrong = i;
        Assert.Equal(-1, firstWrong);
        // Exactly one chunk: one conversion, one report.
        progress.Clear();
        var one = new float[chunk];
        file.ReadRange(file.Entry("h"), 1, one, new SynchronousProgress(progress));
        Assert.Equal([1.0], progress);
        Assert.Equal((1f, 0f), (one[0], one[chunk - 1]));
        // A range that starts inside the tensor reads from its offset.
        var tail = new float[3];
        file.ReadRange(file.Entry("h"), 2049, tail);
        Assert.Equal([1f, 2f, 3f], tail);
    }

    [Fact]
    public void TensorsOfMoreElementsThanAnArrayHoldsAreRefused()
    {
        // A sparse file: 2^31 F32 elements (8 GiB of data) that are never read.
        const long elements = 1L << 31;
        var json = System.Text.Encoding.UTF8.GetBytes($$$"""{"w":{"dtype":"F32","shape":[{{{elements}}}],"data_offsets":[0,{{{4 * elements}}}]}}""");
        string path = Path.Combine(TempPath, "t.safetensors");
        using (var stream = File.Create(path))
        {
            stream.Write(BitConverter.GetBytes((ulong)json.Length));
            stream.Write(json);
            stream.SetLength(8 + json.Length + 4 * elements);
        }
        var file = SafetensorsFile.Open(path);
        Assert.Equal(elements, file.Entry("w").ElementCount);
        Assert.Equal($"t.safetensors: tensor 'w' has too many elements ({elements})", Message(() => file.Read("w")));
    }

    private sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }

    [Fact]
    public void UnknownElementTypesAreListedButNotRead()
    {
        var file = SafetensorsFile.Open(WriteSafetensors("""{"i":{"dtype":"I32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]));
        Assert.Equal("I32", file.Entry("i").DType);
        Assert.Equal("t.safetensors: tensor 'i' has dtype I32; supported: F32, F16, BF16, F64", Message(() => file.Read("i")));
        Assert.Equal("t.safetensors: tensor 'i' has dtype I32; supported: F32, F16, BF16, F64", Message(() => file.ReadRange(file.Entry("i"), 0, new float[1])));
    }

    [Fact]
    public void MissingTensorsListAtMostFiveNames()
    {
        string[] names = ["a", "b", "c", "d", "e", "f"];
        string Header(int count) => "{" + string.Join(",", names.Take(count).Select((n, i) => $$"""
            "{{n}}":{"dtype":"F32","shape":[1],"data_offsets":[{{4 * i}},{{4 * i + 4}}]}
            """)) + "}";
        var six = SafetensorsFile.Open(WriteSafetensors(Header(6), new byte[24]));
        Assert.Equal("t.safetensors: no tensor named 'x' (has a, b, c, d, e, …)", Message(() => six.Entry("x")));
        var five = SafetensorsFile.Open(Write("f.safetensors", TensorIoTests.Safetensors(Header(5), new byte[20])));
        Assert.Equal("f.safetensors: no tensor named 'x' (has a, b, c, d, e)", Message(() => five.Entry("x")));
        var one = SafetensorsFile.Open(Write("o.safetensors", TensorIoTests.Safetensors(Header(1), new byte[4])));
        Assert.Equal("o.safetensors: no tensor named 'x' (has a)", Message(() => one.Entry("x")));
    }

    [Fact]
    public void EmptyTensorsMayBeginWhereTheyEnd()
    {
        var file = SafetensorsFile.Open(WriteSafetensors("""{"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", TensorIoTests.F32(2)));
        Assert.Equal(0, file.Entry("z").ElementCount);
        Assert.Empty(file.Read("z").Values);
        Assert.Equal([2f], file.Read("w").Values);
    }

    public static TheoryData<string, string> BadEntries() => new()
    {
        { """{"w":5}""", "entry must be an object" },
        { """{"w":{"shape":[1],"data_offsets":[0,4]}}""", "missing string field 'dtype'" },
        { """{"w":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}""", "missing string field 'dtype'" },
        { """{"w":{"dtype":"F32","data_offsets":[0,4]}}""", "missing array field 'shape'" },
        { """{"w":{"dtype":"F32","shape":1,"data_offsets":[0,4]}}""", "missing array field 'shape'" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":{"a":0}}}""", "missing field 'data_offsets' = [begin, end]" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}""", "missing field 'data_offsets' = [begin, end]" },
        { """{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", "shape entries must be non-negative integers" },
        { """{"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}""", "shape entries must be non-negative integers" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,4]}}""", "data_offsets must be non-negative integers" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}""", "data_offsets must be non-negative integers" },
        { """{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}""", "data_offsets end 4 is before begin 8" },
        { """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", "data_offsets end 12 is past the data section (8 bytes): file truncated or offsets wrong" },
        { """{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", "shape [4294967296, 4294967296] has more than 2^63 elements" },
        { """{"w":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}""", "shape [3] of F16 needs 6 bytes, data_offsets give 8" },
        { """{"w":{"dtype":"F16","shape":[1,3],"data_offsets":[1,8]}}""", "shape [1, 3] of F16 needs 6 bytes, data_offsets give 7" },
        // A product of exactly 2^63 − 1 elements is allowed by the element limit and fails on its byte count.
        { """{"w":{"dtype":"F32","shape":[9223372036854775807],"data_offsets":[0,8]}}""", "shape [9223372036854775807] of F32 needs 36893488147419103228 bytes, data_offsets give 8" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void EveryBadFieldIsNamed(string header, string reason) =>
        Assert.Equal($"t.safetensors: tensor 'w': {reason}", Message(() => SafetensorsFile.Open(WriteSafetensors(header, new byte[8]))));

    [Fact]
    public void OverlapsAreFoundWhateverTheHeaderOrder()
    {
        // Sorted by begin: a [0, 8), c [4, 8) overlaps a; b [8, 12) touches c without overlapping.
        string overlapping = """{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"c":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        Assert.Equal("t.safetensors: tensors 'a' and 'c' overlap", Message(() => SafetensorsFile.Open(WriteSafetensors(overlapping, new byte[12]))));
        // Same begin: the shorter one sorts first and the longer one overlaps it.
        string sameBegin = """{"long":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"short":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""";
        Assert.Equal("t.safetensors: tensors 'short' and 'long' overlap", Message(() => SafetensorsFile.Open(WriteSafetensors(sameBegin, new byte[8]))));
    }

    [Fact]
    public void HeadersThatAreNotJsonObjectsFail()
    {
        Assert.Equal("t.safetensors: header is not valid JSON ('x' is an invalid start of a value)",
            Message(() => SafetensorsFile.Open(WriteSafetensors("x", []))));
        Assert.Equal("t.safetensors: header must be a JSON object", Message(() => SafetensorsFile.Open(WriteSafetensors("\"w\"", []))));
        Assert.StartsWith("t.safetensors: header is not valid JSON", Message(() => SafetensorsFile.Open(WriteSafetensors(
            """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]))));
    }
}
