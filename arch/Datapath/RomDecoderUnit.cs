using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Quantization;

namespace HwSim.Arch.Datapath;

/// <summary>
/// A code → value lookup table (the decoder of plain integer types, and of ANT's per-tensor int / PoT / flint type,
/// whose first-one decoding the table enumerates).
/// </summary>
public sealed class RomDecoderUnit : IWeightDecoderUnit
{
    public const string Kind = DecoderUnitNames.Rom;

    private readonly long?[] table;

    /// <summary>The ROM of a datatype's stored codebook (the first one: ANT's per-tensor choice), in its integer units.</summary>
    public static RomDecoderUnit For(WeightDatatype datatype, ICodeDecoder codes)
    {
        var codebook = codes is CodebookDecoder { Codebooks: [var first, ..] } ? first
            : throw new ArgumentException($"{datatype.Name}: a ROM decodes element-wise codebooks, not {codes.Describe()}");
        return new RomDecoderUnit(datatype.UnitScale == 1 ? codebook : codebook.Scaled($"{codebook.Name}x{datatype.UnitScale}", datatype.UnitScale));
    }

    public RomDecoderUnit(Codebook codebook)
    {
        Name = $"rom({codebook.Name})";
        table = new long?[codebook.CodeCount];
        for (int code = 0; code < table.Length; code++)
        {
            double value = codebook.Decode(code);
            if (double.IsNaN(value)) continue;
            if (value != Math.Round(value)) throw new ArgumentException($"{codebook.Name}: value {value} is not an integer");
            table[code] = (long)value;
        }
    }

    public string Name { get; }

    public void DecodeRow(EncodedWeights weights, int row, Span<long> values)
    {
        var codes = weights.Codes.AsSpan(row * weights.Cols, weights.Cols);
        for (int i = 0; i < codes.Length; i++)
            values[i] = table[codes[i]] ?? throw new InvalidDataException($"{Name}: code {codes[i]} holds no value");
    }
}
