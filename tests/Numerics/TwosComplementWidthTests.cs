using HwSim.Numerics.Gemm;

namespace HwSim.Tests.Numerics;

/// <summary>
/// The width a bit-serial PE walks through when the most negative weight, not the largest, decides it: B-bit two's
/// complement holds −2^(B−1) … 2^(B−1) − 1, so −16 needs 5 bits and −17 six, whatever the positive weights are.
/// </summary>
public class TwosComplementWidthTests
{
    [Fact]
    public void TheMostNegativeWeightSetsTheWidth()
    {
        Assert.Equal(5, IntegerGemm.TwosComplementBits(new[] { -16, 3 }.AsSpan()));
        Assert.Equal(6, IntegerGemm.TwosComplementBits(new[] { 2, -17, 1 }.AsSpan()));
        Assert.Equal(5, IntegerGemm.TwosComplementBits([-16L, 3L]));
        Assert.Equal(6, IntegerGemm.TwosComplementBits([2L, -17L, 1L]));
    }
}
