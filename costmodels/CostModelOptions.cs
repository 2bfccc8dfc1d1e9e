using HwSim.CostModels.Tables;
using HwSim.Numerics.Registry;

namespace HwSim.CostModels;

/// <summary>
/// Where costs come from: the built-in table, optionally overridden row-for-row by a user table, evaluated at a
/// technology node and supply voltage. The default node is the BitMoD paper's TSMC 28 nm.
/// </summary>
public sealed record CostModelOptions(double NodeNm = 28, double Vdd = TechnologyScaling.DefaultVdd, string? UserTablePath = null)
{
    /// <summary>The items the cost models read: the built-in table's, and each registered decoder kind's.</summary>
    public static IReadOnlySet<string> KnownItems { get; } =
        CostTable.BuiltIn.Rows.Select(r => r.Item).Concat(WeightDatatypes.DecoderKinds.Select(k => k.CostItem)).ToHashSet(StringComparer.Ordinal);

    public CostLookup Lookup()
    {
        var table = UserTablePath is null ? CostTable.BuiltIn : CostTable.BuiltIn.With(Checked(CostTable.Load(UserTablePath), Path.GetFileName(UserTablePath)));
        return new CostLookup(table, TechnologyScaling.BuiltIn, NodeNm, Vdd);
    }

    /// <summary>A user table whose items the models all read; a misspelled item would otherwise change nothing.</summary>
    private static CostTable Checked(CostTable table, string source)
    {
        if (table.Rows.FirstOrDefault(r => !KnownItems.Contains(r.Item)) is { } row)
            throw new InvalidDataException($"{source}: item '{row.Item}' is not a cost item the models read (known: {string.Join(", ", KnownItems.Order(StringComparer.Ordinal))})");
        return table;
    }
}
