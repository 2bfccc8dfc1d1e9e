using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization.Ovp;

/// <summary>
/// OVP encoder (OliVe Sec. III): quantize every normalized element to the nearest value of normal ∪ outlier; pair
/// elements (2k, 2k+1); if element 2k is an outlier, 2k+1 is its victim (stores the identifier, decodes to 0)
/// whatever it was; otherwise if 2k+1 is an outlier, 2k is the victim; two normals store two normal codes. A row of
/// odd length ends in an unpaired element, which has no victim and is clipped to the normal range.
/// </summary>
public sealed class OvpEncoder
{
    private readonly NearestValueKernel _normalKernel;
    private readonly byte[] _normalCodes;

    public OvpEncoder(OvpFormat format)
    {
        Format = format;
        _normalKernel = new NearestValueKernel(format.Normal);
        _normalCodes = format.Normal.SortedCodes.ToArray();
    }

    public OvpFormat Format { get; }

    /// <summary>Encodes normalized values (weights / scale); <paramref name="scratch"/> holds at least x.Length ints.</summary>
    public void Encode(ReadOnlySpan<float> x, Span<byte> codes, Span<int> scratch)
    {
        _normalKernel.NearestIndices(x, scratch);
        int pairs = x.Length / 2;
        for (int p = 0; p < pairs; p++)
        {
            int i = 2 * p;
            float first = x[i], second = x[i + 1];
            if (Format.IsOutlier(first))
            {
                codes[i] = (byte)Format.Outlier.Encode(first);
                codes[i + 1] = (byte)Format.Identifier;
            }
            else if (Format.IsOutlier(second))
            {
                codes[i] = (byte)Format.Identifier;
                codes[i + 1] = (byte)Format.Outlier.Encode(second);
            }
            else
            {
                codes[i] = _normalCodes[scratch[i]];
                codes[i + 1] = _normalCodes[scratch[i + 1]];
            }
        }
        if (x.Length % 2 == 1) codes[^1] = _normalCodes[scratch[x.Length - 1]];
    }
}
