using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// ANT's per-tensor adaptive datatype (Guo et al., MICRO 2022, Sec. IV; mode "ant-int-pot-flint" of the public
/// quantizer, clevercool/ANT-Quantization @bc84067 ant_quantization/antquant/quant_modules.py): each candidate type
/// (int, PoT, flint, signed, b bits; PoT only up to 5 and flint up to 6 bits; int alone above 6 bits) is quantized per
/// output channel with a clip search over 75 … 149% of the channel absmax in 1% steps (95 … 149% above 6 bits,
/// <see cref="ClipSearch.AntAbove6Bits"/>), the clip mapped onto the type's largest positive value
/// (<see cref="ClipTarget.LargestPositive"/>); the tensor keeps the type with the smallest summed squared error
/// (first in that order on ties) and stores a 2-bit type choice.
/// </summary>
public sealed class AntAdaptiveQuantizer : IWeightQuantizer
{
    public const int TypeChoiceBits = 2;

    public AntAdaptiveQuantizer(int bits, ClipSearch? clipSearch = null)
    {
        Bits = bits;
        var types = new List<Codebook> { AntTypes.Int(bits, signed: true) };
        if (bits <= 5) types.Add(AntTypes.PowerOfTwo(bits, signed: true));
        if (bits is >= AntTypes.MinFlintBits and <= AntTypes.MaxFlintBits) types.Add(AntTypes.Flint(bits, signed: true));
        var search = clipSearch ?? (bits > 6 ? ClipSearch.AntAbove6Bits : ClipSearch.Ant);
        Candidates = [.. types.Select(t => new CodebookQuantizer(t, Granularity.PerChannel, ScaleFormat.Fp16, search,
            clipTarget: ClipTarget.LargestPositive))];
        Name = $"ant{bits}";
    }

    public string Name { get; }
    public int Bits { get; }
    public IReadOnlyList<CodebookQuantizer> Candidates { get; }

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        var (chosen, bestId) = PerTensorChoice.Best(Candidates, weights, parallel);
        var layout = chosen.Layout with
        {
            Scheme = $"{Name}({((CodebookDecoder)chosen.Layout.Decoder).Codebooks[0].Name})",
            TensorOverheadBits = TypeChoiceBits,
        };
        return new QuantizedMatrix(layout, chosen.Codes, chosen.Scales, null, null, tensorTypeId: bestId);
    }
}
