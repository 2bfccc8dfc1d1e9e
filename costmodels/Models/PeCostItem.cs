using HwSim.Arch.Spec;
using HwSim.CostModels.Tables;
using HwSim.Numerics.Registry;

namespace HwSim.CostModels.Models;

/// <summary>
/// Which cost-table item prices a design's PE. A user table may price a design directly with rows named
/// "pe:&lt;design name&gt;"; otherwise the PE's datatypes pick the BitMoD paper's 28 nm PE their family implies (fp16, bitmod,
/// olive, ant; <see cref="PaperPe"/>), and a plain integer PE is Bit Fusion's synthesized fixed-point PE at its widest operand, times the dot-product
/// width (Bit Fusion's PEs compute one MAC).
/// </summary>
public sealed record PeCostItem(string Item, int? Bits, int Multiplier)
{
    public static PeCostItem For(AcceleratorSpec spec, CostTable table)
    {
        string own = $"pe:{spec.Name}";
        if (table.Has(own, CostQuantity.Area)) return new PeCostItem(own, null, 1);
        var datatypes = spec.Pe.WeightTypes.Select(WeightDatatypes.Get).ToArray();
        var paper = datatypes.Select(d => d.PaperPe).OfType<PaperPe>()
            .Where(p => !p.Exclusive || datatypes.All(d => d.PaperPe == p)).MinBy(p => p.Precedence);
        if (paper is not null) return new PeCostItem(paper.CostItem, null, 1);
        int weightBits = spec.Pe.WeightTypes.Max(t => WeightDatatypes.Get(t).Storage.ElementBits);
        return new PeCostItem("pe_fixed", Math.Max(weightBits, spec.Pe.ActivationBits), spec.Pe.DotProductWidth);
    }
}
