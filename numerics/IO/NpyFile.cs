using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HwSim.Numerics.IO;

/// <summary>
/// Reader of NumPy's .npy format (versions 1.0, 2.0, 3.0): magic "\x93NUMPY", version, header length (2 bytes in
/// 1.0, 4 bytes after), a Python dict literal with 'descr', 'fortran_order' and 'shape', then the C-order data.
/// Little-endian float16, float32 and float64 are read as tensors, integer arrays as ids; anything else fails with a
/// message naming the field.
/// </summary>
public static partial class NpyFile
{
    public static TensorData Read(string path)
    {
        var (where, bytes, descr, shape, dataStart) = Parse(path);
        string dtype = descr switch
        {
            "<f4" => "F32",
            "<f2" => "F16",
            "<f8" => "F64",
            var other => throw new InvalidDataException($"{where}: descr '{other}' is not supported (<f2, <f4, <f8)"),
        };
        long count = CheckLength(where, bytes, shape, dataStart, ElementDecoding.Size(dtype));
        var values = new float[count];
        ElementDecoding.Convert(dtype, bytes.AsSpan((int)dataStart), values);
        return new TensorData(Path.GetFileNameWithoutExtension(path), shape, values);
    }

    /// <summary>Reads an array of little-endian integers (|u1, |i1, &lt;u2, &lt;i2, &lt;u4, &lt;i4, &lt;u8, &lt;i8), flattened.</summary>
    public static long[] ReadIntegers(string path)
    {
        var (where, bytes, descr, shape, dataStart) = Parse(path);
        int size = descr is [_, 'i' or 'u', var width] && descr[0] is '<' or '|' && width is '1' or '2' or '4' or '8' ? width - '0'
            : throw new InvalidDataException($"{where}: descr '{descr}' is not a little-endian integer type (<i4, <i8, <u2, …)");
        bool signed = descr[1] == 'i';
        long count = CheckLength(where, bytes, shape, dataStart, size);
        var values = new long[count];
        var data = bytes.AsSpan((int)dataStart);
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

    private static long CheckLength(string where, byte[] bytes, long[] shape, long dataStart, int size)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (bytes.Length - dataStart != count * size)
            throw new InvalidDataException($"{where}: shape ({string.Join(", ", shape)}) needs {count * size} data bytes, file has {bytes.Length - dataStart}");
        return count;
    }

    private static (string Where, byte[] Bytes, string Descr, long[] Shape, long DataStart) Parse(string path)
    {
        string where = Path.GetFileName(path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{where}: not a .npy file (bad magic)");
        int major = bytes[6];
        if (major is < 1 or > 3) throw new InvalidDataException($"{where}: unsupported .npy version {major}.{bytes[7]}");
        int lengthSize = major == 1 ? 2 : 4;
        if (bytes.Length < 8 + lengthSize) throw new InvalidDataException($"{where}: truncated header");
        long headerLength = lengthSize == 2 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToUInt32(bytes, 8);
        long dataStart = 8 + lengthSize + headerLength;
        if (dataStart > bytes.Length) throw new InvalidDataException($"{where}: truncated header ({headerLength} bytes announced)");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, 8 + lengthSize, (int)headerLength);

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
        return (where, bytes, descr.Groups[1].Value, shape, dataStart);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
