using System.Runtime.InteropServices;
using System.Text;
using HwSim.Numerics.IO;
using HwSim.Tests.Cli;

namespace HwSim.Tests.Numerics.IO;

/// <summary>
/// The .npy reader beyond <see cref="TensorIoTests"/>: header versions 2.0 and 3.0 (4-byte length), every float and
/// integer element type with values written here byte by byte, and each header and data check with its message.
/// </summary>
public class NpyFileTests : TemporaryDirectory
{
    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(TempPath, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Magic, version, header length (2 bytes in 1.0, 4 after) and the header text as given.</summary>
    private static byte[] Raw(int major, string header, byte[] data) =>
    [
        0x93, .. "NUMPY"u8.ToArray(), (byte)major, 0,
        .. major == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)Encoding.UTF8.GetByteCount(header)),
        .. Encoding.UTF8.GetBytes(header), .. data,
    ];

    private static string Dict(string descr, string shape) => $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({shape}), }}\n";

    private static string Message(Action action) => Assert.Throws<InvalidDataException>(action).Message;

    [Fact]
    public void Versions2And3HaveAFourByteHeaderLength()
    {
        byte[] f8 = [.. BitConverter.GetBytes(0.5), .. BitConverter.GetBytes(-3.0)];
        var two = NpyFile.Read(Write("v2.npy", Raw(2, Dict("<f8", "2,"), f8)));
        Assert.Equal("v2", two.Name);
        Assert.Equal([2L], two.Shape);
        Assert.Equal([0.5f, -3f], two.Values);
        // 3.0 reads the header as UTF-8: a non-ASCII byte sequence elsewhere in the dict does not disturb the fields.
        byte[] f2 = [.. BitConverter.GetBytes((Half)1.25), .. BitConverter.GetBytes((Half)(-0.5)), .. BitConverter.GetBytes((Half)2)];
        var three = NpyFile.Read(Write("v3.npy", Raw(3, "{'descr': '<f2', 'fortran_order': False, 'shape': (1, 3), 'note': 'é'}\n", f2)));
        Assert.Equal([1L, 3L], three.Shape);
        Assert.Equal([1.25f, -0.5f, 2f], three.Values);
        var scalar = NpyFile.Read(Write("s.npy", Raw(1, Dict("<f4", ""), BitConverter.GetBytes(7f))));
        Assert.Empty(scalar.Shape);
        Assert.Equal([7f], scalar.Values);
    }

    [Fact]
    public void Version3HeadersAreUtf8AndEarlierOnesLatin1()
    {
        // The byte 0xE9 is "é" in Latin-1 (1.0) and no character in UTF-8; the bytes C3 A9 are "é" in UTF-8 (3.0).
        byte[] header = Encoding.Latin1.GetBytes("{'descr': '<f4é', 'fortran_order': False, 'shape': (1,)}\n");
        byte[] latin1 = [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)header.Length, 0, .. header, 0, 0, 0, 0];
        Assert.Equal("l.npy: descr '<f4é' is not supported (<f2, <f4, <f8)", Message(() => NpyFile.Read(Write("l.npy", latin1))));
        Assert.Equal("u.npy: descr '<f4é' is not supported (<f2, <f4, <f8)",
            Message(() => NpyFile.Read(Write("u.npy", Raw(3, "{'descr': '<f4é', 'fortran_order': False, 'shape': (1,)}\n", new byte[4])))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void OtherVersionsAreRefused(int major) =>
        Assert.Equal($"x.npy: unsupported .npy version {major}.0", Message(() => NpyFile.Read(Write("x.npy", Raw(major, Dict("<f4", "1,"), new byte[4])))));

    [Fact]
    public void HeaderProblemsAreNamed()
    {
        Assert.Equal("m.npy: not a .npy file (bad magic)", Message(() => NpyFile.Read(Write("m.npy", [0x93, .. "NUMPX"u8.ToArray(), 1, 0, 0, 0]))));
        Assert.Equal("m.npy: not a .npy file (bad magic)", Message(() => NpyFile.Read(Write("m.npy", [0x92, .. "NUMPY"u8.ToArray(), 1, 0, 0, 0]))));
        Assert.Equal("m.npy: not a .npy file (bad magic)", Message(() => NpyFile.Read(Write("m.npy", [0x93, .. "NUMPY"u8.ToArray(), 1]))));
        Assert.Equal("t.npy: truncated header", Message(() => NpyFile.Read(Write("t.npy", [0x93, .. "NUMPY"u8.ToArray(), 1, 0, 10]))));
        Assert.Equal("t.npy: truncated header", Message(() => NpyFile.Read(Write("t.npy", [0x93, .. "NUMPY"u8.ToArray(), 2, 0, 10, 0, 0]))));
        Assert.Equal("t.npy: truncated header (20 bytes announced)",
            Message(() => NpyFile.Read(Write("t.npy", [0x93, .. "NUMPY"u8.ToArray(), 1, 0, 20, 0, .. "{'descr'"u8.ToArray()]))));
        byte[] huge = [0x93, .. "NUMPY"u8.ToArray(), 2, 0, .. BitConverter.GetBytes((uint)NpyFile.MaxHeaderBytes + 1)];
        Assert.Equal("h.npy: header of 1048577 bytes is longer than the limit of 1048576", Message(() => NpyFile.Read(Write("h.npy", huge))));
        // Exactly the limit is allowed: the header is read, and then it lacks its fields.
        string padded = "{'fortran_order': False, 'shape': (1,), }".PadRight(NpyFile.MaxHeaderBytes - 1) + "\n";
        Assert.Equal("l.npy: header has no 'descr'", Message(() => NpyFile.Read(Write("l.npy", Raw(2, padded, new byte[4])))));
        Assert.Equal("d.npy: header has no 'fortran_order'", Message(() => NpyFile.Read(Write("d.npy", Raw(1, "{'descr': '<f4', 'shape': (1,)}", new byte[4])))));
        Assert.Equal("d.npy: header has no 'shape'", Message(() => NpyFile.Read(Write("d.npy", Raw(1, "{'descr': '<f4', 'fortran_order': False}", new byte[4])))));
        Assert.Equal("d.npy: shape entry '-1' is not a non-negative integer", Message(() => NpyFile.Read(Write("d.npy", Raw(1, Dict("<f4", "-1,"), new byte[4])))));
        Assert.Equal("d.npy: shape entry '2L' is not a non-negative integer", Message(() => NpyFile.Read(Write("d.npy", Raw(1, Dict("<f4", "2L, 1"), new byte[8])))));
        Assert.Equal("d.npy: descr '>f4' is not supported (<f2, <f4, <f8)", Message(() => NpyFile.Read(Write("d.npy", Raw(1, Dict(">f4", "1,"), new byte[4])))));
    }

    [Fact]
    public void DataMustHaveExactlyTheShapesBytes()
    {
        Assert.Equal("d.npy: shape (2, 2) needs 16 data bytes, file has 20", Message(() => NpyFile.Read(Write("d.npy", Raw(1, Dict("<f4", "2, 2"), new byte[20])))));
        Assert.Equal("d.npy: shape (3) needs 6 data bytes, file has 4", Message(() => NpyFile.Read(Write("d.npy", Raw(1, Dict("<f2", "3,"), new byte[4])))));
        Assert.Equal("d.npy: shape (0, 5) needs 0 data bytes, file has 1", Message(() => NpyFile.Read(Write("d.npy", Raw(1, Dict("<f4", "0, 5"), new byte[1])))));
        Assert.Empty(NpyFile.Read(Write("e.npy", Raw(1, Dict("<f4", "0, 5"), []))).Values);
        Assert.Equal($"d.npy: shape (1073741824, 2) needs more data bytes than the {Array.MaxLength} one array holds",
            Message(() => NpyFile.Read(Write("d.npy", Raw(1, Dict("<f4", "1073741824, 2"), new byte[4])))));
        // Exactly Array.MaxLength bytes is the largest array: the shape passes and the file's length decides.
        Assert.Equal($"u.npy: shape ({Array.MaxLength}) needs {Array.MaxLength} data bytes, file has 1",
            Message(() => NpyFile.ReadIntegers(Write("u.npy", Raw(1, Dict("|u1", $"{Array.MaxLength},"), [1])))));
        Assert.Equal("n.npy: tensor 'n': element 2 is NaN; weights must be finite",
            Message(() => NpyFile.Read(Write("n.npy", Raw(1, Dict("<f4", "3,"), TensorIoTests.F32(1, 2, float.NaN))))));
    }

    public static TheoryData<string, byte[], long[]> Integers() => new()
    {
        { "|u1", [0xFF, 0x01], [255, 1] },
        { "|i1", [0xFF, 0x80], [-1, -128] },
        { "<u2", [0xFE, 0xFF, 0x00, 0x01], [65534, 256] },
        { "<i2", [0xFE, 0xFF, 0x00, 0x80], [-2, -32768] },
        { "<u4", [0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00], [4294967295, 1] },
        { "<i4", [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x80], [-1, int.MinValue] },
        { "<u8", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 2, 0, 0, 0, 0, 0, 0, 0], [long.MaxValue, 2] },
        { "<i8", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0x80], [-1, long.MinValue] },
        { "<i1", [0x7F, 0x81], [127, -127] },
    };

    [Theory]
    [MemberData(nameof(Integers))]
    public void IntegerArraysReadEveryWidthAndSign(string descr, byte[] data, long[] expected) =>
        Assert.Equal(expected, NpyFile.ReadIntegers(Write("ids.npy", Raw(1, Dict(descr, "2,"), data))));

    [Theory]
    [InlineData("<f4")]
    [InlineData(">i4")]
    [InlineData("<i3")]
    [InlineData("<b1")]
    [InlineData("=i4")]
    [InlineData("<i16")]
    public void NonIntegerOrBigEndianDescrsAreRefused(string descr) =>
        Assert.Equal($"ids.npy: descr '{descr}' is not a little-endian integer type (<i4, <i8, <u2, …)",
            Message(() => NpyFile.ReadIntegers(Write("ids.npy", Raw(1, Dict(descr, "1,"), new byte[4])))));

    [Fact]
    public void UnsignedSixtyFourBitIdsBeyondLongFail() =>
        Assert.Equal($"ids.npy: element 1 exceeds {long.MaxValue}",
            Message(() => NpyFile.ReadIntegers(Write("ids.npy", Raw(1, Dict("<u8", "2,"), [.. new byte[8], 0, 0, 0, 0, 0, 0, 0, 0x80])))));

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    [Fact]
    public async Task APipeIsReadToItsEnd()
    {
        // A named pipe cannot tell its length (Stream.Length throws): the reader must read it through instead.
        string path = Path.Combine(TempPath, "piped.npy");
        Assert.Equal(0, mkfifo(path, Convert.ToUInt32("600", 8)));
        byte[] f4 = [.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f), .. BitConverter.GetBytes(4f)];
        var writer = Task.Run(() => File.WriteAllBytes(path, Raw(1, Dict("<f4", "3,"), f4)));
        var read = NpyFile.Read(path);
        await writer;
        Assert.Equal([3L], read.Shape);
        Assert.Equal([1.5f, -2f, 4f], read.Values);
    }

    [Fact]
    public async Task ASafetensorsPipeIsRefusedWithAReason()
    {
        string path = Path.Combine(TempPath, "piped.safetensors");
        Assert.Equal(0, mkfifo(path, Convert.ToUInt32("600", 8)));
        // Opening a FIFO for reading waits for a writer: one that writes nothing.
        var writer = Task.Run(() => File.WriteAllBytes(path, []));
        var message = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path)).Message;
        Assert.Equal("piped.safetensors: not a regular file (safetensors are read by offset; a pipe cannot be)", message);
        await writer;
    }
}
