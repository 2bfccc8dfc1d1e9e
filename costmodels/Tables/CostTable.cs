using System.Globalization;
using HwSim.Numerics.IO;

namespace HwSim.CostModels.Tables;

/// <summary>
/// A table of <see cref="CostRow"/>s read from CSV (columns item, quantity, bits, capacity_bytes, node_nm, value,
/// unit, width_exponent, source). The built-in table (costmodels/Data/costs.csv) cites a source per row; users pass
/// their own file (e.g. from synthesis reports) in the same format, and its rows replace built-in rows of the same
/// item and quantity. Rows without a source, with an unknown quantity or unit, or with a non-positive value are
/// rejected with the line number.
/// </summary>
public sealed class CostTable
{
    private static readonly Dictionary<CostQuantity, string[]> Units = new()
    {
        [CostQuantity.Energy] = ["pJ"],
        [CostQuantity.Area] = ["um2"],
        [CostQuantity.Factor] = ["x"],
    };

    /// <summary>
    /// The largest cost of one row: 10^12 (pJ per event, µm² per unit, or a factor). Built-in rows are below 10^5;
    /// the limit keeps totals over a run's ~10^18 events finite, so a mistyped value is an error instead of an
    /// infinite report.
    /// </summary>
    public const double MaxValue = 1e12;

    /// <summary>Widths are bits of one operand: at most 1024 (a wide SRAM word or DRAM burst).</summary>
    public const int MaxBits = 1024;

    /// <summary>Cost scaling with width as width^exponent: at most quadratic-ish growth in practice; 8 bounds it.</summary>
    public const double MaxWidthExponent = 8;

    private CostTable(IReadOnlyList<CostRow> rows) => Rows = rows;

    public IReadOnlyList<CostRow> Rows { get; }

    public static CostTable BuiltIn { get; } = Parse(EmbeddedText("costs.csv"), "costs.csv (built-in)");

    public static CostTable Load(string path) => Parse(BoundedFile.ReadAllText(path), Path.GetFileName(path));

    /// <summary>This table with <paramref name="overrides"/>' rows in place of the rows of the same item and quantity.</summary>
    public CostTable With(CostTable overrides)
    {
        var replaced = overrides.Rows.Select(r => (r.Item, r.Quantity)).ToHashSet();
        return new CostTable([.. Rows.Where(r => !replaced.Contains((r.Item, r.Quantity))), .. overrides.Rows]);
    }

    public bool Has(string item, CostQuantity quantity) => Rows.Any(r => r.Item == item && r.Quantity == quantity);

    public IEnumerable<CostRow> RowsOf(string item, CostQuantity quantity) => Rows.Where(r => r.Item == item && r.Quantity == quantity);

    /// <summary>A factor row's value.</summary>
    public double Factor(string item) =>
        RowsOf(item, CostQuantity.Factor).FirstOrDefault()?.Value ?? throw new InvalidDataException($"cost table: no '{item}' factor row");

    public static CostTable Parse(string text, string source)
    {
        var rows = new List<CostRow>();
        string[] expected = ["item", "quantity", "bits", "capacity_bytes", "node_nm", "value", "unit", "width_exponent", "source"];
        var records = CsvRecords.Read(text, source).ToList();
        if (records.Count == 0)
            throw new InvalidDataException($"{source}: empty file (expected the header {string.Join(',', expected)})");
        if (!records[0].Fields.SequenceEqual(expected))
            throw new InvalidDataException($"{source} line {records[0].Line}: expected the header {string.Join(',', expected)}");
        foreach (var (line, fields) in records.Skip(1))
        {
            string where = $"{source} line {line}";
            if (fields.Length != expected.Length)
                throw new InvalidDataException($"{where}: {fields.Length} fields, expected {expected.Length} ({string.Join(',', expected)})");
            string Field(int i) => fields[i];
            string item = Field(0);
            if (item.Length == 0) throw new InvalidDataException($"{where}: item is empty");
            if (!Enum.TryParse<CostQuantity>(Field(1), ignoreCase: true, out var quantity) || !Enum.IsDefined(quantity))
                throw new InvalidDataException($"{where}: quantity '{Field(1)}' is not energy, area or factor");
            string unit = Field(6);
            if (!Units[quantity].Contains(unit))
                throw new InvalidDataException($"{where}: unit '{unit}' does not fit quantity {Field(1)} (expected {string.Join(" or ", Units[quantity])})");
            string citation = Field(8);
            if (string.IsNullOrWhiteSpace(citation)) throw new InvalidDataException($"{where}: {item} has no source; every cost must cite where it comes from");
            double value = Number(Field(5), where, "value") ?? throw new InvalidDataException($"{where}: value is empty");
            if (!(value > 0) || !double.IsFinite(value)) throw new InvalidDataException($"{where}: value must be a positive number (got {Field(5)})");
            if (value > MaxValue) throw new InvalidDataException($"{where}: value must be at most {MaxValue:0e0} (got {Field(5)})");
            double? bits = Number(Field(2), where, "bits");
            if (bits is { } b && (b < 1 || b != Math.Floor(b))) throw new InvalidDataException($"{where}: bits must be a positive integer (got {Field(2)})");
            if (bits > MaxBits) throw new InvalidDataException($"{where}: bits must be at most {MaxBits} (got {Field(2)})");
            double? capacity = Number(Field(3), where, "capacity_bytes");
            if (capacity is { } c && (!(c > 0) || c > long.MaxValue / 2)) throw new InvalidDataException($"{where}: capacity_bytes must be a positive number of at most 2^62");
            double? node = Number(Field(4), where, "node_nm");
            if (node is { } n && (!(n > 0) || n > 1e6)) throw new InvalidDataException($"{where}: node_nm must be positive and at most 1e6");
            double exponent = Number(Field(7), where, "width_exponent") ?? 0;
            if (Math.Abs(exponent) > MaxWidthExponent) throw new InvalidDataException($"{where}: width_exponent must be in -{MaxWidthExponent} .. {MaxWidthExponent} (got {Field(7)})");
            rows.Add(new CostRow(item, quantity, (int?)bits, (long?)capacity, node, value, unit, exponent, citation));
        }
        if (rows.Count == 0) throw new InvalidDataException($"{source}: no rows");
        return new CostTable(rows);
    }

    private static double? Number(string text, string where, string field)
    {
        if (text.Length == 0) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value : throw new InvalidDataException($"{where}: {field} '{text}' is not a finite number");
    }

    internal static string EmbeddedText(string name)
    {
        using var stream = typeof(CostTable).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
