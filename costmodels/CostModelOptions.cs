using HwSim.CostModels.Tables;

namespace HwSim.CostModels;

/// <summary>
/// Where costs come from: the built-in table, optionally overridden row-for-row by a user table, evaluated at a
/// technology node and supply voltage. The default node is the BitMoD paper's TSMC 28 nm.
/// </summary>
public sealed record CostModelOptions(double NodeNm = 28, double Vdd = TechnologyScaling.DefaultVdd, string? UserTablePath = null)
{
    public CostLookup Lookup()
    {
        var table = UserTablePath is null ? CostTable.BuiltIn : CostTable.BuiltIn.With(CostTable.Load(UserTablePath));
        return new CostLookup(table, TechnologyScaling.BuiltIn, NodeNm, Vdd);
    }
}
