using HwSim.Arch.Spec;
using HwSim.CostModels.Tables;

namespace HwSim.CostModels.Models;

/// <summary>
/// Which cost-table item prices a design's PE. A user table may price a design directly with rows named
/// "pe:&lt;design name&gt;"; otherwise the PE's datatype family picks the BitMoD paper's 28 nm PE (fp16, bitmod, olive,
/// ant), and a plain integer PE is Bit Fusion's synthesized fixed-point PE at its widest operand, times the dot-product
/// width (Bit Fusion's PEs compute one MAC).
/// </summary>
public sealed record PeCostItem(string Item, int? Bits, int Multiplier)
{
    public static PeCostItem For(AcceleratorSpec spec, CostTable table)
    {
        string own = $"pe:{spec.Name}";
        if (table.Has(own, CostQuantity.Area)) return new PeCostItem(own, null, 1);
        var families = spec.Pe.WeightTypes.Select(t => WeightDatatypes.Get(t).Family).ToHashSet();
        if (families.Contains("bitmod")) return new PeCostItem("pe_bitmod", null, 1);
        if (families.Contains("ovp")) return new PeCostItem("pe_olive", null, 1);
        if (families.Contains("ant")) return new PeCostItem("pe_ant", null, 1);
        if (families.SetEquals(["fp"])) return new PeCostItem("pe_fp16", null, 1);
        int weightBits = spec.Pe.WeightTypes.Max(t => WeightDatatypes.Get(t).Storage.ElementBits);
        return new PeCostItem("pe_fixed", Math.Max(weightBits, spec.Pe.ActivationBits), spec.Pe.DotProductWidth);
    }
}
