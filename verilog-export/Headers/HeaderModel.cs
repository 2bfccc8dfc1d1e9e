namespace HwSim.VerilogExport.Headers;

/// <summary>C and SystemVerilog type of a scalar parameter: 32-bit <c>int</c> / <c>int32_t</c> or 64-bit
/// <c>longint</c> / <c>int64_t</c>. Each name has one type whatever its value, so RTL that uses it never changes
/// width between designs.</summary>
public enum ScalarType { Int32, Int64 }

/// <summary>
/// One named value. <see cref="Symbol"/> names the enumerator it equals (e.g. DATAFLOW_OS), so the headers read
/// <c>DATAFLOW = DATAFLOW_OS</c>; <see cref="Unit"/> is stated in every header's comment.
/// </summary>
public sealed record HeaderScalar(string Name, long Value, string Unit, string Description,
    ScalarType Type = ScalarType.Int32, string? Symbol = null);

/// <summary>
/// A table of equal-width two's-complement (or unsigned) elements. SystemVerilog and Verilog carry it as one packed
/// vector with element i at bits [i·ElementBits +: ElementBits] (Icarus and Verilog-2001 flows take no array
/// parameters); C carries it as an initializer list in index order.
/// </summary>
public sealed record HeaderTable(string Name, IReadOnlyList<long> Values, int ElementBits, bool Signed, string Unit,
    string Description);

/// <summary>A titled group of parameters, rendered as a commented block in every header.</summary>
public sealed record HeaderSection(string Title, IReadOnlyList<HeaderScalar> Scalars, IReadOnlyList<HeaderTable> Tables);

/// <summary>Everything the three headers say about one design, in order.</summary>
public sealed record HeaderModel(string DesignName, string Source, IReadOnlyList<HeaderSection> Sections)
{
    public IEnumerable<HeaderScalar> Scalars => Sections.SelectMany(s => s.Scalars);

    public IEnumerable<HeaderTable> Tables => Sections.SelectMany(s => s.Tables);

    /// <summary>Every name the headers declare, in order (tables with their NAME_COUNT and NAME_BITS).</summary>
    public IEnumerable<string> Names() =>
        Scalars.Select(s => s.Name).Concat(Tables.SelectMany(t => new[] { t.Name, t.Name + "_COUNT", t.Name + "_BITS" }));

    /// <summary>
    /// Every value by name, as the headers state them: a scalar is a one-element list, a table its elements plus
    /// the NAME_COUNT and NAME_BITS scalars every header declares beside it.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<long>> Values()
    {
        var values = new Dictionary<string, IReadOnlyList<long>>();
        foreach (var scalar in Scalars) values.Add(scalar.Name, [scalar.Value]);
        foreach (var table in Tables)
        {
            values.Add(table.Name, table.Values);
            values.Add(table.Name + "_COUNT", [table.Values.Count]);
            values.Add(table.Name + "_BITS", [table.ElementBits]);
        }
        return values;
    }
}
