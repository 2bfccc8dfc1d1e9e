using HwSim.Numerics.Formats;

namespace HwSim.Tests.Numerics;

/// <summary>
/// Byte counts at the top of the 64-bit range: the last count that fits is returned exactly, the first that does not
/// fails loudly instead of wrapping to a negative count (worked out by hand).
/// </summary>
public class StorageFormatRangeTests
{
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
}
