namespace HwSim.VerilogExport.Headers;

/// <summary>Compares the values parsed back from a header with the model it was written from.</summary>
public static class HeaderRoundTrip
{
    /// <summary>Every disagreement as one line; empty when the header states exactly the model.</summary>
    public static IReadOnlyList<string> Differences(HeaderModel model, IReadOnlyDictionary<string, long[]> parsed, string file)
    {
        var problems = new List<string>();
        var bitsOf = model.Tables.ToDictionary(t => t.Name, t => t.ElementBits);
        var values = model.Values();
        foreach (var (name, expected) in values)
        {
            if (!parsed.TryGetValue(name, out var actual)) { problems.Add($"{file}: {name} is missing"); continue; }
            // Table elements compare as bit patterns: the Verilog files write them unsigned, the C header signed.
            ulong mask = bitsOf.TryGetValue(name, out int bits) ? HeaderText.Mask(bits) : ulong.MaxValue;
            if (actual.Length != expected.Count || actual.Where((v, i) => ((ulong)v & mask) != ((ulong)expected[i] & mask)).Any())
                problems.Add($"{file}: {name} reads back as [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]");
        }
        foreach (string name in parsed.Keys.Where(n => !values.ContainsKey(n)))
            problems.Add($"{file}: {name} is not in the model");
        return problems;
    }
}
