namespace HwSim.Numerics.Registry;

/// <summary>
/// A decoder at the array edge, as accelerator descriptions name it (<c>decoders[i].kind</c>), with the cost-table
/// item that prices it: <see cref="CostItem"/> at <see cref="CostBits"/> (null: the row has no width), counted once
/// per 8×8-PE tile (<see cref="PerTile"/>) or once per decoder the description places.
/// </summary>
public sealed record DecoderKind(string Name, string CostItem, int? CostBits, bool PerTile, string Description);

/// <summary>
/// A published PE design that prices every PE running a datatype of its family (the BitMoD paper's 28 nm PE table).
/// When a PE runs datatypes of several such families, the lowest <see cref="Precedence"/> wins; an
/// <see cref="Exclusive"/> one applies only when every datatype of the PE maps to it.
/// </summary>
public sealed record PaperPe(string CostItem, int Precedence, bool Exclusive = false);
