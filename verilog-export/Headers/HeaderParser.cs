using System.Globalization;
using System.Text.RegularExpressions;

namespace HwSim.VerilogExport.Headers;

/// <summary>
/// Reads the three exported headers back into name → values, independently of the writers' code, so that a test
/// (or <c>hwsim export --check</c>) can confirm each file states exactly the model it was written from. Table
/// elements come back as written: bit patterns from the Verilog files, signed decimals from the C header.
/// </summary>
public static partial class HeaderParser
{
    public static Dictionary<string, long[]> ParsePackage(string text)
    {
        var values = new Dictionary<string, long[]>();
        foreach (Match m in LocalParam().Matches(StripComments(text)))
            values[m.Groups["name"].Value] = Verilog(m.Groups["value"].Value.Trim(), values, "");
        return values;
    }

    public static Dictionary<string, long[]> ParseVerilogHeader(string text)
    {
        var values = new Dictionary<string, long[]>();
        foreach (Match m in Define().Matches(StripComments(text)))
        {
            string value = m.Groups["value"].Value.Trim();
            if (value.Length > 0) values[m.Groups["name"].Value] = Verilog(value, values, "`HWSIM_");
        }
        return values;
    }

    public static Dictionary<string, long[]> ParseCHeader(string text)
    {
        var values = new Dictionary<string, long[]>();
        foreach (Match m in CDefine().Matches(StripComments(text)))
        {
            string name = m.Groups["name"].Value, value = m.Groups["value"].Value.Trim();
            if (value.Length == 0) continue;
            if (name.EndsWith("_INIT", StringComparison.Ordinal)) name = name[..^"_INIT".Length];
            values[name] = C(value, values);
        }
        return values;
    }

    private static long[] Verilog(string value, Dictionary<string, long[]> known, string symbolPrefix)
    {
        if (value.StartsWith('{'))
        {
            var elements = value.Trim('{', '}').Split(',').Select(e => VerilogNumber(e.Trim())).ToArray();
            System.Array.Reverse(elements);
            return elements;
        }
        if (symbolPrefix.Length > 0 && value.StartsWith(symbolPrefix, StringComparison.Ordinal))
            return Lookup(value[symbolPrefix.Length..], known);
        if (char.IsAsciiLetter(value[0])) return Lookup(value, known);
        return [VerilogNumber(value)];
    }

    private static long VerilogNumber(string literal)
    {
        bool negative = literal.StartsWith('-');
        string body = negative ? literal[1..] : literal;
        int tick = body.IndexOf('\'');
        long magnitude;
        if (tick < 0) magnitude = long.Parse(body, CultureInfo.InvariantCulture);
        else
        {
            string digits = body[(tick + 1)..].TrimStart('s', 'S');
            magnitude = char.ToLowerInvariant(digits[0]) switch
            {
                'h' => (long)ulong.Parse(digits[1..], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                'd' => long.Parse(digits[1..], CultureInfo.InvariantCulture),
                _ => throw new FormatException($"unsupported Verilog literal '{literal}'"),
            };
        }
        return negative ? -magnitude : magnitude;
    }

    private static long[] C(string value, Dictionary<string, long[]> known)
    {
        if (value.StartsWith('{'))
            return [.. value.Trim('{', '}', ' ').Split(',').Select(e => long.Parse(e.Trim(), CultureInfo.InvariantCulture))];
        var typed = CTypedLiteral().Match(value);
        if (typed.Success) return [long.Parse(typed.Groups["digits"].Value, CultureInfo.InvariantCulture)];
        if (value.StartsWith("HWSIM_", StringComparison.Ordinal)) return Lookup(value["HWSIM_".Length..], known);
        throw new FormatException($"unsupported C value '{value}'");
    }

    private static long[] Lookup(string name, Dictionary<string, long[]> known) =>
        known.TryGetValue(name, out var v) ? v : throw new FormatException($"'{name}' is used before it is defined");

    private static string StripComments(string text) => BlockComment().Replace(LineComment().Replace(text, ""), "");

    [GeneratedRegex(@"localparam\s+(?:int|longint|logic\s*\[\d+:0\])\s+(?<name>\w+)\s*=\s*(?<value>[^;]+);")]
    private static partial Regex LocalParam();

    [GeneratedRegex(@"^`define\s+HWSIM_(?<name>\w+)[ \t]*(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex Define();

    [GeneratedRegex(@"^#define\s+HWSIM_(?<name>\w+)[ \t]*(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex CDefine();

    [GeneratedRegex(@"^U?INT(?:8|16|32|64)_C\((?<digits>-?\d+)\)$")]
    private static partial Regex CTypedLiteral();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();
}
