using HwSim.Numerics.Registry;
using HwSim.Numerics.Quantization;

namespace HwSim.Arch.Datapath;

/// <summary>
/// The decoder units of the detailed model, registered by the name datatypes give in
/// <see cref="WeightDatatype.DecoderUnit"/>: a datatype's unit decodes the codes its quantizer stored
/// (<paramref name="codes"/> in <see cref="Create"/>: the stored matrix's own decoder, which carries ANT's per-tensor
/// choice).
/// </summary>
public static class DecoderUnits
{
    private static readonly Dictionary<string, Func<WeightDatatype, ICodeDecoder, IWeightDecoderUnit>> Factories = new()
    {
        [RomDecoderUnit.Kind] = RomDecoderUnit.For,
        [BitmodDecoderUnit.Kind] = (datatype, _) => new BitmodDecoderUnit(datatype.Storage.ElementBits),
        [OvpPairDecoderUnit.Kind] = OvpPairDecoderUnit.For,
    };

    public static IReadOnlyCollection<string> Kinds => Factories.Keys;

    public static IWeightDecoderUnit Create(WeightDatatype datatype, ICodeDecoder codes) =>
        datatype.DecoderUnit is not { } kind ? throw new ArgumentException($"{datatype.Name}: no decoder unit models its decoding")
        : Factories.TryGetValue(kind, out var factory) ? factory(datatype, codes)
        : throw new ArgumentException($"{datatype.Name}: decoder unit '{kind}' is not registered (known: {string.Join(", ", Factories.Keys)})");
}
