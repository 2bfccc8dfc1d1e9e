namespace HwSim.CostModels.Tables;

/// <summary>
/// Reads costs out of a <see cref="CostTable"/> at a requested bit width, SRAM capacity and technology node:
/// <list type="bullet">
/// <item>width: a measured width is used as is; between two measured widths the value follows the power law through
/// both; outside them it scales from the nearest as (bits / measured)^width_exponent;</item>
/// <item>capacity (SRAM rows): log-log between the bracketing capacities, outside them (depth ratio)^e from the
/// nearest with e from the table's sram_depth_energy_exponent (energy) or 1 (area, linear in depth);</item>
/// <item>node: × the Stillmaker &amp; Baas area or energy factor from the row's node to the target node.</item>
/// </list>
/// </summary>
public sealed class CostLookup(CostTable table, TechnologyScaling scaling, double nodeNm, double vdd = TechnologyScaling.DefaultVdd)
{
    public CostTable Table { get; } = table;
    public double NodeNm { get; } = nodeNm;

    public bool Has(string item, CostQuantity quantity) => Table.Has(item, quantity);

    public double Factor(string item) => Table.Factor(item);

    /// <summary>Energy in pJ per event of <paramref name="item"/>.</summary>
    public double EnergyPicoJoules(string item, int? bits = null, long? capacityBytes = null) => Value(item, CostQuantity.Energy, bits, capacityBytes);

    /// <summary>Area in µm² of one <paramref name="item"/>.</summary>
    public double AreaUm2(string item, int? bits = null, long? capacityBytes = null) => Value(item, CostQuantity.Area, bits, capacityBytes);

    private double Value(string item, CostQuantity quantity, int? bits, long? capacityBytes)
    {
        var rows = Table.RowsOf(item, quantity).ToList();
        if (rows.Count == 0) throw new InvalidDataException($"cost table: no {quantity.ToString().ToLowerInvariant()} row for '{item}'");
        if (capacityBytes is { } capacity && rows.Any(r => r.CapacityBytes is not null))
            rows = AtCapacity(rows, capacity, quantity);
        double value = bits is { } b ? AtWidth(rows, b) : rows[0].Value;
        var row = rows[0];
        if (row.NodeNm is not { } from) return value;
        return value * (quantity == CostQuantity.Area ? scaling.AreaFactor(from, NodeNm) : scaling.EnergyFactor(from, NodeNm, vdd));
    }

    private List<CostRow> AtCapacity(List<CostRow> rows, long capacity, CostQuantity quantity)
    {
        var sized = rows.Where(r => r.CapacityBytes is not null).OrderBy(r => r.CapacityBytes).ToList();
        // The table's widths are per row; capacity interpolation keeps each width's rows apart.
        var result = new List<CostRow>();
        foreach (var group in sized.GroupBy(r => r.Bits))
        {
            var points = group.ToList();
            double value;
            var below = points.LastOrDefault(p => p.CapacityBytes <= capacity);
            var above = points.FirstOrDefault(p => p.CapacityBytes >= capacity);
            if (below is not null && above is not null)
                value = below.CapacityBytes == above.CapacityBytes ? below.Value
                    : PowerLaw(below.CapacityBytes!.Value, below.Value, above.CapacityBytes!.Value, above.Value, capacity);
            else
            {
                var nearest = below ?? above!;
                double exponent = quantity == CostQuantity.Energy ? Table.Factor("sram_depth_energy_exponent") : 1;
                value = nearest.Value * Math.Pow((double)capacity / nearest.CapacityBytes!.Value, exponent);
            }
            result.Add(points[0] with { CapacityBytes = capacity, Value = value });
        }
        return result;
    }

    private static double AtWidth(List<CostRow> rows, int bits)
    {
        var sized = rows.Where(r => r.Bits is not null).OrderBy(r => r.Bits).ToList();
        if (sized.Count == 0) return rows[0].Value;
        var below = sized.LastOrDefault(r => r.Bits <= bits);
        var above = sized.FirstOrDefault(r => r.Bits >= bits);
        if (below is not null && above is not null)
            return below.Bits == above.Bits ? below.Value : PowerLaw(below.Bits!.Value, below.Value, above.Bits!.Value, above.Value, bits);
        var nearest = below ?? above!;
        return nearest.Value * Math.Pow((double)bits / nearest.Bits!.Value, nearest.WidthExponent);
    }

    private static double PowerLaw(double x0, double y0, double x1, double y1, double x) =>
        y0 * Math.Pow(x / x0, Math.Log(y1 / y0) / Math.Log(x1 / x0));
}
