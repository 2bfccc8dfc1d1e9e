using System.Text;
using CsCheck;

namespace HwSim.Tests.Cli;

/// <summary>
/// Generators of malformed inputs made from a valid one: up to four edits, each deleting, inserting, replacing or
/// duplicating a span, replacing a number with an extreme one, or duplicating a line (in JSON, a repeated key).
/// Inserted text comes from the values parsers trip over: 32- and 64-bit limits, overflowing and non-finite
/// numbers, JSON punctuation, quotes, NUL, non-ASCII.
/// </summary>
public static class Mutations
{
    public static readonly string[] Tokens =
    [
        "0", "-1", "1", "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "99999999999999999999999", "1e309", "-1e309", "1e308", "NaN", "Infinity", "-Infinity", "1.5",
        "0.0000001", "\"x\"", "\"\"", "null", "true", "[", "]", "{", "}", ",", ":", "=", "\"", "'", "\n", "", " ", "e", "-", "#",
        "\0", "é", "\uFFFD", "*", "-2", "65536", "1048577",
    ];

    private sealed record Edit(int Kind, int Position, int Length, int Token);

    private static readonly Gen<Edit> EditGen = Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, 16], Gen.Int[0, Tokens.Length - 1],
        (kind, position, length, token) => new Edit(kind, position, length, token));

    /// <summary>Texts made from <paramref name="valid"/> by one to four edits.</summary>
    public static Gen<string> Of(string valid) => EditGen.Array[1, 4].Select(edits => edits.Aggregate(valid, Apply));

    /// <summary>Byte strings made from <paramref name="valid"/> by one to four byte edits (overwrite, insert, delete, extreme bytes).</summary>
    public static Gen<byte[]> OfBytes(byte[] valid) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte, (kind, position, value) => (kind, position, value)).Array[1, 4]
            .Select(edits => edits.Aggregate(valid, (bytes, e) =>
            {
                int at = bytes.Length == 0 ? 0 : e.position % bytes.Length;
                return e.kind switch
                {
                    0 when bytes.Length > 0 => [.. bytes[..at], e.value, .. bytes[(at + 1)..]],
                    1 => [.. bytes[..at], e.value, .. bytes[at..]],
                    2 when bytes.Length > 0 => [.. bytes[..at], .. bytes[(at + 1)..]],
                    _ when bytes.Length > 0 => [.. bytes[..at], (byte)(e.value % 2 == 0 ? 0xFF : 0x7F), .. bytes[(at + 1)..]],
                    _ => bytes,
                };
            }));

    private static string Apply(string text, Edit edit)
    {
        int at = text.Length == 0 ? 0 : edit.Position % (text.Length + 1);
        int length = Math.Min(edit.Length, text.Length - at);
        string token = Tokens[edit.Token];
        return edit.Kind switch
        {
            0 => text.Remove(at, length),
            1 => text.Insert(at, token),
            2 => text.Remove(at, length).Insert(at, token),
            3 => text.Insert(at, text.Substring(at, length)),
            4 => ReplaceNumber(text, edit.Position, token),
            _ => DuplicateLine(text, edit.Position),
        };
    }

    private static string ReplaceNumber(string text, int which, string token)
    {
        var numbers = new List<(int Start, int Length)>();
        for (int i = 0; i < text.Length;)
        {
            if (!char.IsAsciiDigit(text[i])) { i++; continue; }
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            numbers.Add((start, i - start));
        }
        if (numbers.Count == 0) return text;
        var (at, length) = numbers[which % numbers.Count];
        return text.Remove(at, length).Insert(at, token.Length == 0 ? "0" : token);
    }

    private static string DuplicateLine(string text, int which)
    {
        var lines = text.Split('\n').ToList();
        int line = which % lines.Count;
        lines.Insert(line, lines[line]);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Runs <paramref name="parse"/> and accepts success or one of <paramref name="inputErrors"/> with a message (the
    /// command line prints it as one line: <see cref="HwSim.Cli.CliConsole.Error"/>); any other exception (overflow,
    /// index, null, argument …) fails the property, reported with its type and message.
    /// </summary>
    public static bool SucceedsOrFailsAsInputError(Action parse, params Type[] inputErrors)
    {
        try
        {
            parse();
            return true;
        }
        catch (Exception e) when (inputErrors.Any(t => t.IsInstanceOfType(e)))
        {
            return e.Message.Trim().Length > 0;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"not an input error: {e.GetType().Name}: {e.Message}", e);
        }
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
