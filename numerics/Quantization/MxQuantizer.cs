using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// OCP Microscaling (MX) v1.0 block formats: 32 consecutive elements share an E8M0 scale X = 2^E with
/// E = floor(log2(max|V|)) − emax(element type), clamped to [−127, 127] (an all-zero block gets E = −127); each
/// element is V / X rounded to nearest even in the element type, saturating at ±max (spec Sec. 6.3). MXINT8 elements
/// are two's-complement integers times 2^−6 (emax 0); this model keeps them symmetric (−127 … 127).
/// </summary>
public sealed class MxQuantizer : IWeightQuantizer
{
    public const int BlockSize = 32;

    private readonly NearestValueKernel _kernel;
    private readonly int _elementMaxExponent;

    public MxQuantizer(string name, Codebook element)
    {
        Name = name;
        Element = element;
        _kernel = new NearestValueKernel(element);
        _elementMaxExponent = Math.ILogB(element.MaxValue);
    }

    public static MxQuantizer Fp4 => new("mxfp4", MiniFloat.Fp4E2M1.ToCodebook());
    public static MxQuantizer Fp6E2M3 => new("mxfp6_e2m3", MiniFloat.Fp6E2M3.ToCodebook());
    public static MxQuantizer Fp6E3M2 => new("mxfp6_e3m2", MiniFloat.Fp6E3M2.ToCodebook());
    public static MxQuantizer Fp8E4M3 => new("mxfp8_e4m3", MiniFloat.Fp8E4M3.ToCodebook());
    public static MxQuantizer Fp8E5M2 => new("mxfp8_e5m2", MiniFloat.Fp8E5M2.ToCodebook());
    public static MxQuantizer Int8 => new("mxint8", IntegerTypes.Symmetric(8).Scaled("mxint8_element", Math.ScaleB(1.0, -6)));

    public string Name { get; }
    public Codebook Element { get; }

    /// <summary>The shared exponent of a block whose largest magnitude is <paramref name="absMax"/>.</summary>
    public int SharedExponent(float absMax) =>
        absMax == 0 ? -127 : Math.Clamp(Math.ILogB(absMax) - _elementMaxExponent, -127, 127);

    public QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null)
    {
        weights.EnsureFinite(Name);
        int blockSize = Math.Min(BlockSize, weights.Cols);
        var layout = new QuantizedLayout(Name, weights.Rows, weights.Cols, Element.Bits, blockSize, ScaleFormat.E8M0, false, 0,
            false, 0, new CodebookDecoder(Element));
        var (codes, scales) = BlockEncoder.Encode(weights, layout, _kernel,
            block => (float)Math.ScaleB(1.0, SharedExponent(VectorMath.AbsMax(block))), 1, parallel);
        return new QuantizedMatrix(layout, codes, scales, null, null);
    }
}
