using HwSim.Arch.Spec;
using HwSim.CostModels.Tables;
using HwSim.Numerics.Registry;

namespace HwSim.CostModels.Models;

/// <summary>One line of an area report: a component, how many, µm² each and in total, and where the figure comes from.</summary>
public sealed record AreaLine(string Component, long Count, double EachUm2, double TotalUm2, string Source);

/// <summary>A design's area at a technology node, by component; <see cref="Missing"/> lists components the table cannot price.</summary>
public sealed record AreaReport(string Design, double NodeNm, IReadOnlyList<AreaLine> Lines, IReadOnlyList<string> Missing)
{
    public double TotalUm2 => Lines.Sum(l => l.TotalUm2);

    public double TotalMm2 => TotalUm2 / 1e6;
}

/// <summary>
/// Area = PE array + weight decoders + vector unit (logic, × the place-and-route factor, whose surplus is reported as
/// the wiring/clock-tree line) + SRAM buffers (CACTI macros, linear in capacity). Decoders per kind: BitMoD's
/// dequantization logic per 8×8-PE tile (BitMoD Table X); OliVe pair decoders at the array edge, one per
/// description decoder; kinds the table has no row for are listed as missing rather than priced at zero silently.
/// </summary>
public static class AreaModel
{
    /// <summary>PEs per BitMoD tile (4×4 tiles of 8×8 PEs form the 32×32 array, BitMoD Sec. IV).</summary>
    public const int BitmodTilePes = 64;

    /// <summary>Decoders of a per-tile kind (BitMoD's dequantization logic): one per tile of the array, the last one partial.</summary>
    public static long PerTileDecoders(AcceleratorSpec spec) => ((long)spec.Array.Rows * spec.Array.Cols + BitmodTilePes - 1) / BitmodTilePes;

    public static AreaReport Of(AcceleratorSpec spec, CostLookup costs)
    {
        var lines = new List<AreaLine>();
        var missing = new List<string>();
        long pes = (long)spec.Array.Rows * spec.Array.Cols;
        var pe = PeCostItem.For(spec, costs.Table);
        double peArea = costs.AreaUm2(pe.Item, pe.Bits) * pe.Multiplier;
        lines.Add(new("PE array", pes, peArea, pes * peArea, Cite(costs, pe.Item, CostQuantity.Area)));

        foreach (var decoder in spec.Decoders)
        {
            var item = WeightDatatypes.FindDecoderKind(decoder.Kind)!;
            if (!costs.Has(item.CostItem, CostQuantity.Area))
            {
                missing.Add($"{decoder.Kind} decoder (no area row '{item.CostItem}')");
                continue;
            }
            long count = item.PerTile ? PerTileDecoders(spec) : decoder.Count;
            double each = costs.AreaUm2(item.CostItem, item.CostBits);
            lines.Add(new($"{decoder.Kind} decoders", count, each, count * each, Cite(costs, item.CostItem, CostQuantity.Area)));
        }

        // A lane of the vector unit: an adder and a multiplier of the activation width (Accelergy components).
        double lane = costs.AreaUm2("adder", spec.Pe.ActivationBits) + costs.AreaUm2("multiplier", spec.Pe.ActivationBits);
        lines.Add(new("vector unit lanes", spec.VectorUnit.Lanes, lane, spec.VectorUnit.Lanes * lane, Cite(costs, "multiplier", CostQuantity.Area)));

        double logic = lines.Sum(l => l.TotalUm2);
        double factor = costs.Factor("place_and_route");
        lines.Add(new("place and route (wiring, clock tree)", 1, logic * (factor - 1), logic * (factor - 1), Cite(costs, "place_and_route", CostQuantity.Factor)));

        foreach (var buffer in spec.Buffers)
        {
            double area = costs.AreaUm2("sram", 32, buffer.CapacityBytes);
            lines.Add(new($"SRAM {buffer.Name}", 1, area, area, Cite(costs, "sram", CostQuantity.Area)));
        }
        return new AreaReport(spec.Name, costs.NodeNm, lines, missing);
    }

    /// <summary>The area of the decoder a weight datatype needs, and its count, or null when it needs none.</summary>
    public static double? SupportAreaUm2(AcceleratorSpec spec, string datatype, CostLookup costs)
    {
        if (WeightDatatypes.Get(datatype).Decoder is not { } item) return 0;
        if (!costs.Has(item.CostItem, CostQuantity.Area)) return null;
        // As many as the description places; otherwise n + m at the array edges (OliVe, ISCA 2023, via olive_ant.md).
        long count = item.PerTile ? PerTileDecoders(spec)
            : spec.Decoders.FirstOrDefault(d => d.Kind == item.Name)?.Count ?? spec.Array.Rows + spec.Array.Cols;
        return count * costs.AreaUm2(item.CostItem, item.CostBits) * costs.Factor("place_and_route");
    }

    /// <summary>The decoder kind (as accelerator descriptions name it) a weight datatype needs, or null.</summary>
    public static string? DecoderFor(string datatype) => WeightDatatypes.Get(datatype).Decoder?.Name;

    internal static string Cite(CostLookup costs, string item, CostQuantity quantity) =>
        costs.Table.RowsOf(item, quantity).First().Source;
}
