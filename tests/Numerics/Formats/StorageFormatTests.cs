using HwSim.Numerics.Formats;

namespace HwSim.Tests.Numerics;

/// <summary>
/// <see cref="StorageFormat"/>: bytes = ceil((n · bits + groups · overhead) / 8) with groups = ceil(n / G), worked out
/// by hand for small n and in exact 128-bit arithmetic (<see cref="System.Numerics.BigInteger"/>) for huge n; the
/// parser's names, limits and messages.
/// </summary>
public class StorageFormatTests
{
    [Theory]
    // No groups: ceil(n · bits / 8).
    [InlineData("int4", 0, 0)]
    [InlineData("int4", 1, 1)] // 4 bits -> 1 byte
    [InlineData("int4", 2, 1)]
    [InlineData("int4", 3, 2)] // 12 bits
    [InlineData("int3", 8, 3)] // 24 bits exactly
    [InlineData("int3", 9, 4)] // 27 bits
    [InlineData("fp16", 3, 6)]
    [InlineData("fp8", 5, 5)]
    // One FP16 scale per G elements: 4-bit int with G = 128 -> 128 · 4 + 16 = 528 bits = 66 bytes per full group.
    [InlineData("int4-g128", 128, 66)]
    [InlineData("int4-g128", 129, 69)] // 129 · 4 + 2 · 16 = 548 bits -> 68.5 -> 69
    [InlineData("int4-g128", 1, 3)]    // 4 + 16 = 20 bits -> 3 bytes
    [InlineData("int3-g2", 3, 6)]      // 9 + 2 · 16 = 41 bits -> 6 bytes
    [InlineData("int2-g1", 4, 9)]      // 8 + 4 · 16 = 72 bits
    public void BytesRoundUpTheExactBitCount(string format, long elements, long bytes) =>
        Assert.Equal(bytes, StorageFormat.Parse(format).Bytes(elements));

    [Fact]
    public void BytesOfHugeCountsAreExact()
    {
        // n · bits overflows 64 bits for n near 2^62; the format computes in 128 bits. Independent: BigInteger.
        foreach (long n in new[] { 1L << 60, (1L << 61) - 3, long.MaxValue / 16 })
        {
            foreach (string name in new[] { "int4", "int3-g128", "int16-g7" })
            {
                var format = StorageFormat.Parse(name);
                var g = new System.Numerics.BigInteger(format.GroupSize);
                var groups = format.GroupSize == 0 ? 0 : (n + g - 1) / g;
                var bits = (System.Numerics.BigInteger)n * format.ElementBits + groups * format.GroupOverheadBits;
                var expected = (bits + 7) / 8;
                if (expected > long.MaxValue) continue;
                Assert.Equal((long)expected, format.Bytes(n));
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => StorageFormat.Int4.Bytes(-1));
    }

    /// <summary>
    /// At the top of the 64-bit range the last count that fits is returned exactly and the first that does not fails
    /// loudly instead of wrapping to a negative count (worked out by hand).
    /// </summary>
    [Fact]
    public void ByteCountsPastTheLongRangeOverflowLoudly()
    {
        // FP16: 2^62 elements are 2^66 bits = 2^63 bytes, one past long.MaxValue; 2^62 − 1 are 2^66 − 16 bits,
        // ceil(/ 8) = 2^63 − 2 bytes.
        Assert.Throws<OverflowException>(() => StorageFormat.Fp16.Bytes(1L << 62));
        Assert.Equal(long.MaxValue - 1, StorageFormat.Fp16.Bytes((1L << 62) - 1));
        // FP32: 2^61 elements are 2^63 bytes. INT4: long.MaxValue elements are 2^65 − 4 bits, ceil(/ 8) = 2^62 bytes.
        Assert.Throws<OverflowException>(() => StorageFormat.Fp32.Bytes(1L << 61));
        Assert.Equal(1L << 62, StorageFormat.Int4.Bytes(long.MaxValue));
        // INT4 with an FP16 scale per element (20 bits each): 2^63 − 1 elements are about 2.5 · 2^63 bytes.
        Assert.Throws<OverflowException>(() => StorageFormat.Parse("int4-g1").Bytes(long.MaxValue));
    }

    [Theory]
    [InlineData("int4", 4, 0, 0, 4.0)]
    [InlineData("int4-g128", 4, 128, 16, 4.125)]
    [InlineData("int8-g64", 8, 64, 16, 8.25)]
    [InlineData("int3-g3", 3, 3, 16, 3 + 16.0 / 3)]
    [InlineData("int16", 16, 0, 0, 16.0)]
    [InlineData("int2", 2, 0, 0, 2.0)]
    [InlineData("  INT5-G10 ", 5, 10, 16, 6.6)]
    [InlineData("fp32", 32, 0, 0, 32.0)]
    [InlineData("bf16", 16, 0, 0, 16.0)]
    [InlineData("fp8", 8, 0, 0, 8.0)]
    public void ParsesNamesIntoWidthGroupAndOverhead(string text, int bits, int group, int overhead, double effective)
    {
        var format = StorageFormat.Parse(text);
        Assert.Equal((bits, group, overhead), (format.ElementBits, format.GroupSize, format.GroupOverheadBits));
        Assert.Equal(effective, format.EffectiveBits, 12);
        Assert.Equal(text.Trim().ToLowerInvariant(), format.Name);
        Assert.Equal(format.Name, format.ToString());
    }

    [Fact]
    public void NamedFormatsAreTheSharedInstances()
    {
        Assert.Same(StorageFormat.Fp32, StorageFormat.Parse("fp32"));
        Assert.Same(StorageFormat.Fp16, StorageFormat.Parse("FP16"));
        Assert.Same(StorageFormat.Bf16, StorageFormat.Parse("bf16"));
        Assert.Same(StorageFormat.Fp8, StorageFormat.Parse(" fp8"));
        Assert.Equal((8, "int8"), (StorageFormat.Int8.ElementBits, StorageFormat.Int8.Name));
        Assert.Equal((4, "int4"), (StorageFormat.Int4.ElementBits, StorageFormat.Int4.Name));
    }

    [Theory]
    [InlineData("int1", "storage format 'int1': integer width must be 2..16 bits")]
    [InlineData("int17", "storage format 'int17': integer width must be 2..16 bits")]
    [InlineData("int4-g0", "storage format 'int4-g0': group size must be at least 1")]
    [InlineData("fp4", "unknown storage format 'fp4' (expected fp32, fp16, bf16, fp8, intN or intN-gG)")]
    [InlineData("int4-g", "unknown storage format 'int4-g'")]
    [InlineData("int123", "unknown storage format 'int123'")]
    [InlineData("int4-g1234567", "unknown storage format 'int4-g1234567'")]
    [InlineData("xint4", "unknown storage format 'xint4'")]
    [InlineData("int4x", "unknown storage format 'int4x'")]
    public void BadNamesFailWithTheirReason(string text, string message) =>
        Assert.StartsWith(message, Assert.Throws<FormatException>(() => StorageFormat.Parse(text)).Message);

    [Fact]
    public void ConstructorRejectsImpossibleFormats()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StorageFormat("x", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StorageFormat("x", 65));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StorageFormat("x", 4, -1, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StorageFormat("x", 4, 8, -16));
        Assert.Contains("group size needs per-group overhead", Assert.Throws<ArgumentException>(() => new StorageFormat("x", 4, 8, 0)).Message);
        Assert.Contains("group size needs per-group overhead", Assert.Throws<ArgumentException>(() => new StorageFormat("x", 4, 0, 16)).Message);
        Assert.ThrowsAny<ArgumentException>(() => new StorageFormat(" ", 4));
        Assert.Equal(1, new StorageFormat("x", 1).ElementBits);
        Assert.Equal(64, new StorageFormat("x", 64).Bytes(1) * 8);
    }
}
