using System.Globalization;
using System.Text.RegularExpressions;

namespace HwSim.Numerics.Formats;

/// <summary>
/// How many bits one stored element of a tensor costs, as an exact rational so that group-scaled formats are exact:
/// INT4 with one FP16 scale per 128 weights costs 4 + 16/128 = 4.125 bits. Bytes of n elements round up to whole
/// bytes: ceil(n · bits / 8).
/// </summary>
public sealed partial record StorageFormat
{
    public StorageFormat(string name, int elementBits, int groupSize = 0, int groupOverheadBits = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(elementBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementBits, 64);
        ArgumentOutOfRangeException.ThrowIfNegative(groupSize);
        ArgumentOutOfRangeException.ThrowIfNegative(groupOverheadBits);
        if ((groupSize == 0) != (groupOverheadBits == 0))
            throw new ArgumentException("a group size needs per-group overhead bits and vice versa");
        Name = name;
        ElementBits = elementBits;
        GroupSize = groupSize;
        GroupOverheadBits = groupOverheadBits;
    }

    public string Name { get; }
    public int ElementBits { get; }

    /// <summary>Elements sharing one scale (0: no per-group data).</summary>
    public int GroupSize { get; }

    /// <summary>Bits stored once per group (scale, type id).</summary>
    public int GroupOverheadBits { get; }

    public static readonly StorageFormat Fp32 = new("fp32", 32);
    public static readonly StorageFormat Fp16 = new("fp16", 16);
    public static readonly StorageFormat Bf16 = new("bf16", 16);
    public static readonly StorageFormat Fp8 = new("fp8", 8);
    public static readonly StorageFormat Int8 = new("int8", 8);
    public static readonly StorageFormat Int4 = new("int4", 4);

    /// <summary>Effective bits per element = (ElementBits·GroupSize + GroupOverheadBits) / GroupSize.</summary>
    public double EffectiveBits => GroupSize == 0 ? ElementBits : ElementBits + (double)GroupOverheadBits / GroupSize;

    public long Bytes(long elements)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        // Exact in 128 bits; a count past 2^63 − 1 bytes throws rather than wrapping negative.
        if (GroupSize == 0) return checked((long)(((Int128)elements * ElementBits + 7) / 8));
        Int128 groups = ((Int128)elements + GroupSize - 1) / GroupSize;
        Int128 bits = (Int128)elements * ElementBits + groups * GroupOverheadBits;
        return checked((long)((bits + 7) / 8));
    }

    /// <summary>
    /// Parses "fp16", "bf16", "fp32", "fp8", "intN" (N = 2..16), or "intN-gG" (an FP16 scale per G elements).
    /// </summary>
    public static StorageFormat Parse(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        switch (name)
        {
            case "fp32": return Fp32;
            case "fp16": return Fp16;
            case "bf16": return Bf16;
            case "fp8": return Fp8;
        }
        var match = IntFormat().Match(name);
        if (!match.Success)
            throw new FormatException($"unknown storage format '{text}' (expected fp32, fp16, bf16, fp8, intN or intN-gG)");
        int bits = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (bits is < 2 or > 16) throw new FormatException($"storage format '{text}': integer width must be 2..16 bits");
        if (!match.Groups[2].Success) return new StorageFormat(name, bits);
        int group = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (group < 1) throw new FormatException($"storage format '{text}': group size must be at least 1");
        return new StorageFormat(name, bits, group, 16);
    }

    [GeneratedRegex(@"^int(\d{1,2})(?:-g(\d{1,6}))?$")]
    private static partial Regex IntFormat();

    public override string ToString() => Name;
}
