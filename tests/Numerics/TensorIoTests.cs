using System.Text;
using HwSim.Numerics.IO;
using HwSim.Tests.Cli;

namespace HwSim.Tests.Numerics;

public class TensorIoTests : TemporaryDirectory
{
    internal static byte[] Safetensors(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data];
    }

    internal static byte[] F32(params float[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(TempPath, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsF32F16AndBf16Tensors()
    {
        byte[] f16 = [.. new[] { (Half)1.5, (Half)(-2) }.SelectMany(h => BitConverter.GetBytes(h))];
        byte[] bf16 = [.. new[] { 3.0f, -0.5f }.SelectMany(f => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(f) >> 16)))];
        var data = F32(1, 2, 3, 4, 5, 6).Concat(f16).Concat(bf16).ToArray();
        string header = """{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"h":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[28,32]}}""";
        var file = SafetensorsFile.Open(Write("ok.safetensors", Safetensors(header, data)));
        Assert.Equal(3, file.Entries.Count);
        var w = file.Read("w");
        Assert.Equal([2L, 3L], w.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], w.Values);
        Assert.Equal(3, w.ToMatrix().Cols);
        Assert.Equal([1.5f, -2f], file.Read("h").Values);
        Assert.Equal([3f, -0.5f], file.Read("b").Values);
        Assert.Contains("no tensor named 'x'", Assert.Throws<InvalidDataException>(() => file.Read("x")).Message);
    }

    public static TheoryData<string, string> BadHeaders() => new()
    {
        { """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,40]}}""", "past the data section" },
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,24]}}""", "needs 16 bytes" },
        { """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[8,0]}}""", "before begin" },
        { """{"w":{"dtype":"F32","shape":[2,3]}}""", "data_offsets" },
        { """{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,24]}}""", "non-negative" },
        { """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", "overlap" },
        { """{"w": {"dtype": "F32", """, "not valid JSON" },
        { """[1, 2]""", "JSON object" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void RejectsBadHeadersWithClearMessages(string header, string expected)
    {
        string path = Write("bad.safetensors", Safetensors(header, F32(1, 2, 3, 4, 5, 6)));
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void RejectsTruncatedFiles()
    {
        var full = Safetensors("""{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""", F32(1, 2, 3, 4, 5, 6));
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(Write("a.safetensors", full[..5]))).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(Write("b.safetensors", full[..20]))).Message);
        Assert.Contains("past the data section", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(Write("c.safetensors", full[..^4]))).Message);
    }

    internal static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({shape}), }}";
        dict = dict.PadRight(118 - 1) + "\n"; // 10-byte preamble + header = 128 bytes, as NumPy aligns it
        return [0x93, .. "NUMPY"u8.ToArray(), 1, 0, .. BitConverter.GetBytes((ushort)dict.Length), .. Encoding.ASCII.GetBytes(dict), .. data];
    }

    [Fact]
    public void ReadsNpyAndRejectsWhatItCannotRead()
    {
        var tensor = NpyFile.Read(Write("w.npy", Npy("<f4", "2, 2", F32(1, -2, 3, 0.5f))));
        Assert.Equal([2L, 2L], tensor.Shape);
        Assert.Equal([1f, -2f, 3f, 0.5f], tensor.Values);
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => NpyFile.Read(Write("x.npy", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).Message);
        Assert.Contains("'<i4'", Assert.Throws<InvalidDataException>(() => NpyFile.Read(Write("i.npy", Npy("<i4", "2,", F32(1, 2))))).Message);
        Assert.Contains("fortran_order", Assert.Throws<InvalidDataException>(() => NpyFile.Read(Write("f.npy", Npy("<f4", "2,", F32(1, 2), fortran: true)))).Message);
        Assert.Contains("needs 16 data bytes", Assert.Throws<InvalidDataException>(() => NpyFile.Read(Write("t.npy", Npy("<f4", "2, 2", F32(1, 2))))).Message);
    }
}
