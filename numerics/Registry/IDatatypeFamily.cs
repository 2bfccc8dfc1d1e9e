namespace HwSim.Numerics.Registry;

/// <summary>
/// One family of weight datatypes: its name grammar and parameter validation, and the datatypes it describes. Every
/// family lives in one file and is registered in <see cref="Datatypes"/>; nothing else in the code base switches on
/// datatype names or families.
/// </summary>
public interface IDatatypeFamily
{
    /// <summary>The family name a <see cref="WeightDatatype.Family"/> carries.</summary>
    string Name { get; }

    /// <summary>The names the family accepts, as users read them ("intN, intN-asym, intN-gG (N = 2..8)").</summary>
    string Grammar { get; }

    /// <summary>Representative instances (listed by <c>hwsim datatypes</c>; parametric families list a few).</summary>
    IReadOnlyList<string> CanonicalNames { get; }

    /// <summary>Decoders at the array edge the family's datatypes use, as descriptions name them.</summary>
    IReadOnlyList<DecoderKind> DecoderKinds { get; }

    /// <summary>
    /// The datatype <paramref name="name"/> (trimmed, lower case) names, or null when the name is not of this family;
    /// a name of the family with invalid parameters throws <see cref="FormatException"/> with a one-line reason.
    /// </summary>
    WeightDatatype? Parse(string name);
}
