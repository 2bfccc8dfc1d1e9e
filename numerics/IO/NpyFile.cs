using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HwSim.Numerics.IO;

/// <summary>
/// Reader of NumPy's .npy format (versions 1.0, 2.0, 3.0): magic "\x93NUMPY", version, header length (2 bytes in
/// 1.0, 4 bytes after), a Python dict literal with 'descr', 'fortran_order' and 'shape', then the C-order data.
/// Little-endian float16, float32 and float64 are read; anything else fails with a message naming the field.
/// </summary>
public static partial class NpyFile
{
    public static TensorData Read(string path)
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
        string dtype = descr.Groups[1].Value switch
        {
            "<f4" => "F32",
            "<f2" => "F16",
            "<f8" => "F64",
            var other => throw new InvalidDataException($"{where}: descr '{other}' is not supported (<f2, <f4, <f8)"),
        };
        var fortran = FortranOrder().Match(header);
        if (!fortran.Success) throw new InvalidDataException($"{where}: header has no 'fortran_order'");
        if (fortran.Groups[1].Value == "True") throw new InvalidDataException($"{where}: fortran_order True is not supported; save in C order");
        var shapeMatch = Shape().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException($"{where}: header has no 'shape'");
        long[] shape = [.. shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long d) ? d
                : throw new InvalidDataException($"{where}: shape entry '{s}' is not a non-negative integer"))];
        long count = shape.Aggregate(1L, (a, b) => a * b);
        int size = ElementDecoding.Size(dtype);
        if (bytes.Length - dataStart != count * size)
            throw new InvalidDataException($"{where}: shape ({string.Join(", ", shape)}) needs {count * size} data bytes, file has {bytes.Length - dataStart}");
        var values = new float[count];
        ElementDecoding.Convert(dtype, bytes.AsSpan((int)dataStart), values);
        return new TensorData(Path.GetFileNameWithoutExtension(path), shape, values);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
