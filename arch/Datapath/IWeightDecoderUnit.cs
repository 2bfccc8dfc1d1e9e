namespace HwSim.Arch.Datapath;

/// <summary>
/// The decoder at the array edge: turns the stored codes of one weight row into the integer values the PEs
/// multiply (mantissa · 2^exponent in the datatype's integer units).
/// </summary>
public interface IWeightDecoderUnit
{
    string Name { get; }

    void DecodeRow(EncodedWeights weights, int row, Span<long> values);
}
