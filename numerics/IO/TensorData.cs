using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.IO;

/// <summary>A tensor read from a file, converted to float (F16 and BF16 convert exactly).</summary>
public sealed record TensorData(string Name, IReadOnlyList<long> Shape, float[] Values)
{
    /// <summary>As a weight matrix: the last dimension is the input channel, all others fold into rows.</summary>
    public WeightMatrix ToMatrix()
    {
        if (Shape.Count == 0 || Values.Length == 0) throw new InvalidDataException($"tensor '{Name}' is empty or a scalar");
        long cols = Shape[^1], rows = Values.Length / cols;
        if (cols > int.MaxValue || rows > int.MaxValue) throw new InvalidDataException($"tensor '{Name}' is too large for one matrix");
        return new WeightMatrix((int)rows, (int)cols, Values);
    }
}

/// <summary>Element types the readers convert to float.</summary>
internal static class ElementDecoding
{
    public static int Size(string dtype) => dtype switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        "F64" => 8,
        _ => 0,
    };

    public static void Convert(string dtype, ReadOnlySpan<byte> bytes, Span<float> values)
    {
        // safetensors and .npy data are little-endian, as is every platform .NET runs HwSim on.
        switch (dtype)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(bytes[..(4 * values.Length)]).CopyTo(values);
                break;
            case "F16":
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes[..(2 * values.Length)]), values);
                break;
            case "BF16":
                // BF16 is the upper half of an FP32 bit pattern: widening is exact.
                var raw = MemoryMarshal.Cast<byte, ushort>(bytes[..(2 * values.Length)]);
                for (int i = 0; i < values.Length; i++) values[i] = BitConverter.UInt32BitsToSingle((uint)raw[i] << 16);
                break;
            case "F64":
                for (int i = 0; i < values.Length; i++) values[i] = (float)BitConverter.ToDouble(bytes.Slice(8 * i, 8));
                break;
            default:
                throw new InvalidDataException($"element type {dtype} is not supported (F32, F16, BF16, F64)");
        }
    }

    /// <summary>
    /// Rejects a NaN or infinite element: no quantizer has a code for it, so it is an error in the file, named with
    /// the file, the tensor and the element's index (<paramref name="first"/> is the index of values[0]).
    /// </summary>
    public static void CheckFinite(string file, string tensor, ReadOnlySpan<float> values, long first)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidDataException($"{file}: tensor '{tensor}': element {first + i} is {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; weights must be finite");
    }
}
