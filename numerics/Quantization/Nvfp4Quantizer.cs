using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// NVFP4 (NVIDIA Blackwell): 16-element blocks of FP4 E2M1 with an FP8 E4M3 block scale and one FP32 tensor scale
/// t = max|W| / (6 · 448), so that block scales s = E4M3(clamp(max|block| / (6 · t), 2^−9, 448)) use the whole E4M3
/// range; elements are E2M1(w / (s · t)) rounded to nearest even with saturation. The clamp is Model-Optimizer's
/// floor and ceiling on the block scale (the least E4M3 subnormal and the largest E4M3 value: no block scale
/// underflows to zero), and an all-zero block gets scale 1 (NVIDIA/Model-Optimizer @a2fbac7,
/// modelopt/torch/quantization/qtensor/nvfp4_tensor.py, <c>get_weights_scaling_factor</c> and
/// <c>_cast_per_block_scale_to_fp8</c>).
/// </summary>
public sealed class Nvfp4Quantizer : IWeightQuantizer
{
    public const int BlockSize = 16;
    private static readonly Codebook Element = MiniFloat.Fp4E2M1.ToCodebook();
    private readonly NearestValueKernel _kernel = new(Element);

    /// <summary>Model-Optimizer's floor on the block scale: 2^−9, the least positive E4M3 value.</summary>
    public static readonly float MinBlockScale = (float)Math.ScaleB(1.0, -9);

    public string Name => "nvfp4";

    /// <summary>The E4M3 block scale of a block whose largest magnitude is <paramref name="blockMax"/>.</summary>
    public static float BlockScale(float blockMax, float tensorScale)
    {
        float scale = blockMax / ((float)Element.MaxValue * tensorScale);
        if (scale == 0) return 1;
        return ScaleCodec.Round(ScaleFormat.E4M3, Math.Clamp(scale, MinBlockScale, (float)MiniFloat.Fp8E4M3.MaxFinite));
    }

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        weights.EnsureFinite(Name);
        int blockSize = Math.Min(BlockSize, weights.Cols);
        var layout = new QuantizedLayout(Name, weights.Rows, weights.Cols, Element.Bits, blockSize, ScaleFormat.E4M3, false, 0,
            true, 0, new CodebookDecoder(Element));
        float tensorMax = VectorMath.AbsMax(weights.Values);
        float tensorScale = tensorMax > 0 ? tensorMax / ((float)Element.MaxValue * (float)MiniFloat.Fp8E4M3.MaxFinite) : 1;
        var (codes, scales) = BlockEncoder.Encode(weights, layout, _kernel, block => BlockScale(VectorMath.AbsMax(block), tensorScale),
            tensorScale, parallel);
        return new QuantizedMatrix(layout, codes, scales, null, null, tensorScale);
    }
}
