namespace HwSim.Numerics.Quantization.Packing;

/// <summary>Appends fields of 1 … 32 bits, least significant bit first, into consecutive bytes.</summary>
internal sealed class BitWriter(long totalBits)
{
    private readonly byte[] _bytes = new byte[(totalBits + 7) / 8];
    private long _position;

    public void Write(uint value, int bits)
    {
        if (bits < 32 && value >> bits != 0) throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {bits} bits");
        for (int written = 0; written < bits;)
        {
            int offset = (int)(_position & 7), take = Math.Min(8 - offset, bits - written);
            _bytes[_position >> 3] |= (byte)(((value >> written) & ((1u << take) - 1)) << offset);
            written += take;
            _position += take;
        }
    }

    public byte[] ToArray() => _bytes;
}

/// <summary>Reads back what <see cref="BitWriter"/> wrote, failing on a short buffer.</summary>
internal sealed class BitReader(byte[] bytes)
{
    private long _position;

    public uint Read(int bits)
    {
        if (_position + bits > (long)bytes.Length * 8) throw new InvalidDataException("packed data is truncated");
        uint value = 0;
        for (int read = 0; read < bits;)
        {
            int offset = (int)(_position & 7), take = Math.Min(8 - offset, bits - read);
            value |= (uint)((bytes[_position >> 3] >> offset) & ((1 << take) - 1)) << read;
            read += take;
            _position += take;
        }
        return value;
    }
}
