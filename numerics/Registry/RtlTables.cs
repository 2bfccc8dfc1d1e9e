namespace HwSim.Numerics.Registry;

/// <summary>A named table of signed integers (in the datatype's integer units) a hardware decoder reads.</summary>
public sealed record RtlTable(string Name, IReadOnlyList<long> Values, string Description);

/// <summary>A named constant of a hardware decoder (a code, an identifier).</summary>
public sealed record RtlConstant(string Name, long Value, string Unit, string Description);

/// <summary>
/// The tables and constants a datatype's decoder needs. Datatypes decoded by one shared unit (BitMoD's 3- and 4-bit
/// decoder, OliVe's decoders) list the same tables; exporters emit each name once.
/// </summary>
public sealed record RtlTables(IReadOnlyList<RtlConstant> Constants, IReadOnlyList<RtlTable> Tables)
{
    public static readonly RtlTables None = new([], []);
}
