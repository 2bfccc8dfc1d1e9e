namespace HwSim.Numerics.Registry;

/// <summary>
/// The names of the decoder units the detailed model registers (arch/Datapath/DecoderUnits): a datatype names the
/// unit that turns its stored codes into values (<see cref="WeightDatatype.DecoderUnit"/>), and the unit registers
/// under the same constant.
/// </summary>
public static class DecoderUnitNames
{
    /// <summary>A code → value table (integer types, ANT's types, minifloat elements).</summary>
    public const string Rom = "rom";

    /// <summary>BitMoD's decoder: sign-magnitude float codes, the "−0" code reading the group's special value.</summary>
    public const string Bitmod = "bitmod";

    /// <summary>OliVe's outlier-victim pair decoder.</summary>
    public const string OvpPair = "ovp-pair";
}
