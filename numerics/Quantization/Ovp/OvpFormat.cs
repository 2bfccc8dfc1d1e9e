using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization.Ovp;

/// <summary>
/// An outlier-victim-pair format (OliVe, ISCA 2023): b-bit normal codes (OliVe int or flint, normalized so that the
/// normal range ends at 32) and b-bit abfloat outlier codes, paired in memory order. The identifier is the unused
/// sign-magnitude "−0" code 1 0…0; a slot holding it is the victim of its partner, which holds an abfloat code.
/// </summary>
public sealed class OvpFormat
{
    public OvpFormat(int bits, OvpNormalKind normalKind)
    {
        if (bits is not (4 or 8)) throw new ArgumentOutOfRangeException(nameof(bits), bits, "OVP has 4 or 8 bits");
        Bits = bits;
        NormalKind = normalKind;
        Normal = normalKind == OvpNormalKind.Int ? OliveTypes.Int(bits) : OliveTypes.Flint(bits);
        Outlier = OliveTypes.Abfloat(bits);
        Identifier = 1 << (bits - 1);
        OutlierBoundary = (Normal.MaxValue + Outlier.SortedValues[Outlier.SortedValues.Length / 2]) / 2;
        Name = $"ovp{bits}-{(normalKind == OvpNormalKind.Int ? "int" : "flint")}";
    }

    public static readonly OvpFormat Int4 = new(4, OvpNormalKind.Int);
    public static readonly OvpFormat Flint4 = new(4, OvpNormalKind.Flint);
    public static readonly OvpFormat Int8 = new(8, OvpNormalKind.Int);

    public string Name { get; }
    public int Bits { get; }
    public OvpNormalKind NormalKind { get; }
    public Codebook Normal { get; }
    public Codebook Outlier { get; }
    public int Identifier { get; }

    /// <summary>
    /// Magnitudes from this midpoint between the largest normal and the smallest outlier on quantize to an outlier: the
    /// nearest value of normal ∪ outlier. OliVe's kernel scans the normal grid and then the outlier grid and keeps the
    /// last value at the smallest distance, so ±boundary both go to the outlier (olive_quantization/antquant/
    /// quant_modules.py <c>_forward</c>: <c>torch.cat((quant_grid, outliers))</c>; quant/quant_kernel.cu,
    /// clevercool/ANT-Quantization @bc84067).
    /// </summary>
    public double OutlierBoundary { get; }

    /// <summary>Nearest value of normal ∪ outlier and whether it is an outlier (|q| > 32).</summary>
    public (double Value, bool IsOutlier) NearestInUnion(double x)
    {
        if (IsOutlier(x)) return (Outlier.Quantize(x), true);
        return (Normal.Quantize(x), false);
    }

    /// <summary>Whether a normalized value quantizes to an outlier (|x| ≥ <see cref="OutlierBoundary"/>).</summary>
    public bool IsOutlier(double x) => x >= OutlierBoundary || x <= -OutlierBoundary;
}
