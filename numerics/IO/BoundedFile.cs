using System.Text;

namespace HwSim.Numerics.IO;

/// <summary>
/// Reads input files whole, but never more than a stated limit: a device such as /dev/zero, or a file far larger
/// than any input of its kind, fails with one line naming the file instead of exhausting memory. Lengths are not
/// trusted (character devices report 0), so the limit is enforced while reading.
/// </summary>
public static class BoundedFile
{
    /// <summary>The limit for text inputs (JSON descriptions, plans, configs, CSV tables): 64 MiB.</summary>
    public const long MaxTextBytes = 64L << 20;

    public static string ReadAllText(string path, long maxBytes = MaxTextBytes)
    {
        using var reader = new StreamReader(new MemoryStream(ReadAllBytes(path, maxBytes)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return ReadAtMost(stream, maxBytes, Path.GetFileName(path));
    }

    /// <summary>The rest of <paramref name="stream"/>, failing once more than <paramref name="maxBytes"/> arrive.</summary>
    public static byte[] ReadAtMost(Stream stream, long maxBytes, string source)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new InvalidDataException($"{source}: larger than {maxBytes} bytes, the limit for this kind of input");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
