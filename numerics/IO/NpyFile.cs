using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HwSim.Numerics.IO;

/// <summary>
/// Reader of NumPy's .npy format (versions 1.0, 2.0, 3.0): magic "\x93NUMPY", version, header length (2 bytes in
/// 1.0, 4 bytes after), a Python dict literal with 'descr', 'fortran_order' and 'shape', then the C-order data.
/// Little-endian float16, float32 and float64 are read as tensors, integer arrays as ids; anything else fails with a
/// message naming the field. The file is read as a stream: the header first (at most <see cref="MaxHeaderBytes"/>),
/// then exactly the data bytes the shape needs, so a wrong or endless file fails before its size matters.
/// </summary>
public static partial class NpyFile
{
    /// <summary>NumPy writes headers of a few hundred bytes; 1 MiB leaves room for any hand-written one.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    public static TensorData Read(string path)
    {
        using var stream = Open(path);
        var (where, descr, shape) = ReadHeader(path, stream);
        string dtype = descr switch
        {
            "<f4" => "F32",
            "<f2" => "F16",
            "<f8" => "F64",
            var other => throw new InvalidDataException($"{where}: descr '{other}' is not supported (<f2, <f4, <f8)"),
        };
        var (data, count) = ReadData(where, stream, shape, ElementDecoding.Size(dtype));
        var values = new float[count];
        ElementDecoding.Convert(dtype, data, values);
        string name = Path.GetFileNameWithoutExtension(path);
        ElementDecoding.CheckFinite(where, name, values, 0);
        return new TensorData(name, shape, values);
    }

    /// <summary>Reads an array of little-endian integers (|u1, |i1, &lt;u2, &lt;i2, &lt;u4, &lt;i4, &lt;u8, &lt;i8), flattened.</summary>
    public static long[] ReadIntegers(string path)
    {
        using var stream = Open(path);
        var (where, descr, shape) = ReadHeader(path, stream);
        int size = descr is [_, 'i' or 'u', var width] && descr[0] is '<' or '|' && width is '1' or '2' or '4' or '8' ? width - '0'
            : throw new InvalidDataException($"{where}: descr '{descr}' is not a little-endian integer type (<i4, <i8, <u2, …)");
        bool signed = descr[1] == 'i';
        var (bytes, count) = ReadData(where, stream, shape, size);
        var values = new long[count];
        var data = bytes.AsSpan();
        for (int i = 0; i < count; i++)
        {
            var element = data.Slice(i * size, size);
            values[i] = (size, signed) switch
            {
                (1, true) => (sbyte)element[0],
                (1, false) => element[0],
                (2, true) => BitConverter.ToInt16(element),
                (2, false) => BitConverter.ToUInt16(element),
                (4, true) => BitConverter.ToInt32(element),
                (4, false) => BitConverter.ToUInt32(element),
                (8, true) => BitConverter.ToInt64(element),
                _ => BitConverter.ToUInt64(element) <= long.MaxValue ? (long)BitConverter.ToUInt64(element)
                    : throw new InvalidDataException($"{where}: element {i} exceeds {long.MaxValue}"),
            };
        }
        return values;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static (string Where, string Descr, long[] Shape) ReadHeader(string path, Stream stream)
    {
        string where = Path.GetFileName(path);
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length
            || prefix[0] != 0x93 || Encoding.ASCII.GetString(prefix, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{where}: not a .npy file (bad magic)");
        int major = prefix[6];
        if (major is < 1 or > 3) throw new InvalidDataException($"{where}: unsupported .npy version {major}.{prefix[7]}");
        var lengthBytes = new byte[major == 1 ? 2 : 4];
        if (stream.ReadAtLeast(lengthBytes, lengthBytes.Length, throwOnEndOfStream: false) < lengthBytes.Length)
            throw new InvalidDataException($"{where}: truncated header");
        long headerLength = major == 1 ? BitConverter.ToUInt16(lengthBytes) : BitConverter.ToUInt32(lengthBytes);
        if (headerLength > MaxHeaderBytes) throw new InvalidDataException($"{where}: header of {headerLength} bytes is longer than the limit of {MaxHeaderBytes}");
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
            throw new InvalidDataException($"{where}: truncated header ({headerLength} bytes announced)");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        var descr = Descr().Match(header);
        if (!descr.Success) throw new InvalidDataException($"{where}: header has no 'descr'");
        var fortran = FortranOrder().Match(header);
        if (!fortran.Success) throw new InvalidDataException($"{where}: header has no 'fortran_order'");
        if (fortran.Groups[1].Value == "True") throw new InvalidDataException($"{where}: fortran_order True is not supported; save in C order");
        var shapeMatch = Shape().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException($"{where}: header has no 'shape'");
        long[] shape = [.. shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long d) ? d
                : throw new InvalidDataException($"{where}: shape entry '{s}' is not a non-negative integer"))];
        return (where, descr.Groups[1].Value, shape);
    }

    /// <summary>Exactly the data bytes <paramref name="shape"/> needs at <paramref name="size"/> bytes per element.</summary>
    private static (byte[] Data, long Count) ReadData(string where, Stream stream, long[] shape, int size)
    {
        // The element count in 128 bits: a product that wrapped could match the file's size by accident.
        Int128 count = 1;
        foreach (long dim in shape)
        {
            count *= dim;
            if (count * size > Array.MaxLength)
                throw new InvalidDataException($"{where}: shape ({string.Join(", ", shape)}) needs more data bytes than the {Array.MaxLength} one array holds");
        }
        long needed = (long)count * size;
        // A regular file's length is known: compare before allocating. (A pipe cannot tell it and devices report 0:
        // both are read to the end.)
        if (stream.CanSeek && stream.Length > 0 && stream.Length - stream.Position != needed)
            throw new InvalidDataException($"{where}: shape ({string.Join(", ", shape)}) needs {needed} data bytes, file has {stream.Length - stream.Position}");
        var data = new byte[needed];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length || stream.ReadByte() >= 0)
            throw new InvalidDataException($"{where}: shape ({string.Join(", ", shape)}) needs {needed} data bytes, file has {(read < data.Length ? read.ToString(CultureInfo.InvariantCulture) : "more")}");
        return (data, (long)count);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
