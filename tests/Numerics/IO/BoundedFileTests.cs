using System.Text;
using HwSim.Numerics.IO;
using HwSim.Tests.Cli;

namespace HwSim.Tests.Numerics.IO;

/// <summary>
/// <see cref="BoundedFile"/> reads whole inputs up to a limit, counted while reading (over more than one 64 KiB chunk
/// here), and <see cref="TensorData.ToMatrix"/> folds leading dimensions into rows.
/// </summary>
public class BoundedFileTests : TemporaryDirectory
{
    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(TempPath, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void TheLimitIsInclusiveAndCountedAcrossChunks()
    {
        // 150,000 bytes arrive in three reads of at most 64 KiB; the data must come back in order.
        var bytes = Enumerable.Range(0, 150_000).Select(i => (byte)(i * 7 + i / 256)).ToArray();
        string path = Write("big.bin", bytes);
        Assert.Equal(bytes, BoundedFile.ReadAllBytes(path, 150_000));
        Assert.Equal("big.bin: larger than 149999 bytes, the limit for this kind of input",
            Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes(path, 149_999)).Message);
        // A limit below the first chunk fails on that chunk.
        Assert.Equal("big.bin: larger than 100 bytes, the limit for this kind of input",
            Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes(path, 100)).Message);
        Assert.Empty(BoundedFile.ReadAllBytes(Write("empty.bin", []), 0));
    }

    [Fact]
    public void StreamsAreReadToTheirEndUnderTheLimit()
    {
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        Assert.Equal(bytes, BoundedFile.ReadAtMost(new MemoryStream(bytes), 70_000, "s"));
        Assert.Equal("s: larger than 69999 bytes, the limit for this kind of input",
            Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAtMost(new MemoryStream(bytes), 69_999, "s")).Message);
    }

    [Fact]
    public void TextIsDecodedByItsByteOrderMark()
    {
        Assert.Equal("{\"a\": \"é\"}", BoundedFile.ReadAllText(Write("u8.json", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("{\"a\": \"é\"}")])));
        Assert.Equal("x€", BoundedFile.ReadAllText(Write("u16.json", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("x€")])));
        Assert.Equal("plain", BoundedFile.ReadAllText(Write("plain.txt", "plain"u8.ToArray())));
        Assert.Equal(64L << 20, BoundedFile.MaxTextBytes);
        Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllText(Write("t.txt", "four"u8.ToArray()), 3));
    }

    [Fact]
    public void TensorsFoldLeadingDimensionsIntoRows()
    {
        var matrix = new TensorData("t", [2, 2, 3], [.. Enumerable.Range(0, 12).Select(v => (float)v)]).ToMatrix();
        Assert.Equal((4, 3), (matrix.Rows, matrix.Cols));
        Assert.Equal([3f, 4f, 5f], matrix.Row(1).ToArray());
        Assert.Equal((1, 5), (new TensorData("v", [5], new float[5]).ToMatrix().Rows, new TensorData("v", [5], new float[5]).ToMatrix().Cols));
        Assert.Equal("tensor 's' is empty or a scalar", Assert.Throws<InvalidDataException>(() => new TensorData("s", [], [1f]).ToMatrix()).Message);
        Assert.Equal("tensor 'e' is empty or a scalar", Assert.Throws<InvalidDataException>(() => new TensorData("e", [0], []).ToMatrix()).Message);
        Assert.Equal("tensor 'w' is too large for one matrix",
            Assert.Throws<InvalidDataException>(() => new TensorData("w", [1L << 31], new float[2]).ToMatrix()).Message);
    }
}
