namespace HwSim.CostModels.Tables;

/// <summary>What a cost row measures: energy per event (pJ), area (µm²), or a dimensionless factor.</summary>
public enum CostQuantity { Energy, Area, Factor }

/// <summary>
/// One measured or published cost: <see cref="Item"/> (e.g. int_mult, sram_read, pe_bitmod) at a bit width, an SRAM
/// capacity where it matters, and a technology node (null for off-chip or node-free values). When the item is asked
/// for at another width, the value scales as (bits / Bits)^<see cref="WidthExponent"/> (multiplier 2, adder 1,
/// register 1) unless two measured widths bracket the request. Every row names its <see cref="Source"/>.
/// </summary>
public sealed record CostRow(
    string Item,
    CostQuantity Quantity,
    int? Bits,
    long? CapacityBytes,
    double? NodeNm,
    double Value,
    string Unit,
    double WidthExponent,
    string Source);
