using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Tests.Numerics;

/// <summary>Hand-worked cases of the quantizers' less travelled paths (odd rows, per-tensor packing, tail elements).</summary>
public class QuantizerEdgeCaseTests
{
    [Fact]
    public void OvpSearchCountsTheUnpairedLastElementOfAnOddRow()
    {
        // Row [0, 0, 1]: mean 1/3, σ = √2/3, reference |1/3 + √2| = 1.7475; OliVe int4 normals are 0, 4, … 28 (units of
        // 32/8). The pair (0, 0) costs nothing at any clip, so only the unpaired 1 tells the 88 clips 0.75 … 2.49 apart.
        // Enumerated by hand: clip 2.01 · 1.7475 = 3.5126 gives scale 0.125449, 1 lies 7.97 units out, rounds to 8 and
        // comes back as 1.00359 (the least error; next best 1.33 with 12 · 0.083008 = 0.99610). Were the last element
        // left out, every clip would tie at zero and the first, 0.75 (scale 0.046809: 21.36 -> 20 -> 0.93619), would stay.
        var q = new OvpQuantizer(OvpFormat.Int4, OvpQuantizer.OliveSearch, ScaleFormat.Fp32).Quantize(new WeightMatrix(1, 3, [0, 0, 1]));
        Assert.Equal((float)(2.01 * (1.0 / 3 + Math.Sqrt(2)) / 28), q.Scales[0]);
        Assert.Equal([0f, 0f, 8f], q.CodeValues());
        Assert.Equal(1.00359, q.Dequantize()[2], 5);
    }
}
