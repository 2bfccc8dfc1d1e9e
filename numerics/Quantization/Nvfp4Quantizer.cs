using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// NVFP4 (NVIDIA Blackwell): 16-element blocks of FP4 E2M1 with an FP8 E4M3 block scale and one FP32 tensor scale
/// t = max|W| / (448 · 6), so that block scales s = E4M3(max|block| / 6 / t) use the whole E4M3 range; elements are
/// E2M1(w / (s · t)) rounded to nearest even with saturation. A block whose scale rounds to zero stores zeros.
/// </summary>
public sealed class Nvfp4Quantizer : IWeightQuantizer
{
    public const int BlockSize = 16;
    private static readonly Codebook Element = MiniFloat.Fp4E2M1.ToCodebook();
    private readonly NearestValueKernel _kernel = new(Element);

    public string Name => "nvfp4";

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        weights.EnsureFinite(Name);
        int blockSize = Math.Min(BlockSize, weights.Cols);
        var layout = new QuantizedLayout(Name, weights.Rows, weights.Cols, Element.Bits, blockSize, ScaleFormat.E4M3, false, 0,
            true, 0, new CodebookDecoder(Element));
        float tensorMax = VectorMath.AbsMax(weights.Values);
        float elementMax = (float)Element.MaxValue, scaleMax = (float)MiniFloat.Fp8E4M3.MaxFinite;
        float tensorScale = tensorMax > 0 ? tensorMax / (scaleMax * elementMax) : 1;
        var (codes, scales) = BlockEncoder.Encode(weights, layout, _kernel,
            block => ScaleCodec.Round(ScaleFormat.E4M3, VectorMath.AbsMax(block) / elementMax / tensorScale), tensorScale, parallel);
        return new QuantizedMatrix(layout, codes, scales, null, null, tensorScale);
    }
}
