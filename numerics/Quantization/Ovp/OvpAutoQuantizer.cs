namespace HwSim.Numerics.Quantization.Ovp;

/// <summary>
/// OliVe's per-tensor choice of the normal type (mode "ant-int-flint" of OliVe's LLM scripts,
/// clevercool/ANT-Quantization @bc84067, olive_quantization/llm/scripts/clm_run.sh and antquant/quant_modules.py
/// <c>search_adaptive_numeric_type</c>): the tensor is quantized with int normals and with flint normals, each with its
/// own per-channel clip search, and keeps the one with the smallest summed squared error, int on ties (the public code
/// sums per-channel mean errors, the same order for rows of equal length, and takes the first of an argsort). The
/// choice is stored in one bit per tensor.
/// </summary>
public sealed class OvpAutoQuantizer : IWeightQuantizer
{
    public const int TypeChoiceBits = 1;

    public OvpAutoQuantizer(int bits, ClipSearch? clipSearch = null)
    {
        if (bits != 4) throw new ArgumentOutOfRangeException(nameof(bits), bits, "OliVe chooses between int and flint normals at 4 bits");
        Candidates = [new OvpQuantizer(OvpFormat.Int4, clipSearch), new OvpQuantizer(OvpFormat.Flint4, clipSearch)];
        Name = $"ovp{bits}-auto" + (clipSearch is null ? "" : "-mse");
    }

    public string Name { get; }

    /// <summary>The candidates in choice order: int normals (type choice 0), then flint normals (1).</summary>
    public IReadOnlyList<OvpQuantizer> Candidates { get; }

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        var (best, bestId) = PerTensorChoice.Best(Candidates, weights, parallel);
        var layout = best.Layout with { Scheme = $"{Name}({Candidates[bestId].Format.Name})", TensorOverheadBits = TypeChoiceBits };
        return new QuantizedMatrix(layout, best.Codes, best.Scales, null, null, tensorTypeId: bestId);
    }
}
