using CsCheck;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization;

namespace HwSim.Tests.Numerics;

public class BitmodQuantizerTests
{
    /// <summary>The selection rule written out directly: every candidate, every value scanned, nothing shared.</summary>
    private static (int TypeId, float Scale, int[] Codes) BruteForce(float[] w, int bits)
    {
        var candidates = BitmodTypes.Candidates(bits);
        float absMax = w.Max(Math.Abs);
        (int, float, int[]) best = default;
        double bestError = double.PositiveInfinity;
        for (int id = 0; id < candidates.Count; id++)
        {
            var d = candidates[id];
            // FP16 scale, subnormals included (the public quantizer's 1e-5 floor keeps it far above 2^-24).
            float scale = (float)(double)(Half)Math.Clamp(absMax / (float)d.MaxAbs, 1e-5f, 1e4f);
            var codes = new int[w.Length];
            double error = 0;
            for (int i = 0; i < w.Length; i++)
            {
                float x = w[i] / scale;
                int bestCode = -1;
                double bestDistance = double.PositiveInfinity;
                foreach (int code in Enumerable.Range(0, d.CodeCount).Where(d.IsValue).OrderBy(d.Decode))
                {
                    double distance = Math.Abs(x - d.Decode(code));
                    if (distance < bestDistance) (bestDistance, bestCode) = (distance, code);
                }
                codes[i] = bestCode;
                double diff = (float)d.Decode(bestCode) * scale - w[i];
                error += diff * diff;
            }
            if (error < bestError) (bestError, best) = (error, (id, scale, codes));
        }
        return best;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void PerGroupChoiceEqualsBruteForceSearch(int bits)
    {
        var quantizer = new BitmodQuantizer(bits, groupSize: 32);
        var sizes = Gen.Int[1, 5];
        Gen.Select(Gen.Float[-1f, 1f].Array[32 * 3], Gen.Float[0f, 8f]).Sample((values, outlier) =>
        {
            values[5] *= outlier; // a heavy element steers the choice towards the EA types
            var matrix = new WeightMatrix(1, values.Length, values);
            var q = quantizer.Quantize(matrix);
            for (int g = 0; g < 3; g++)
            {
                var group = values[(32 * g)..(32 * g + 32)];
                var (typeId, scale, codes) = BruteForce(group, bits);
                Assert.Equal(typeId, q.TypeIds![g]);
                Assert.Equal(scale, q.Scales[g]);
                Assert.Equal(codes.Select(c => (byte)c), q.Codes[(32 * g)..(32 * g + 32)]);
            }
        }, iter: 200);
    }

    [Fact]
    public void EveryCandidateIsChosenForSomeGroup()
    {
        var weights = SyntheticWeightsForTests.Small(rows: 64, cols: 1024, seed: 5);
        var q = new BitmodQuantizer(4).Quantize(weights);
        Assert.Equal([0, 1, 2, 3], q.TypeIds!.Distinct().Order().Select(t => (int)t));
        Assert.Contains(q.Codes, c => c == BitmodTypes.SpecialCode(4));
    }

    [Fact]
    public void ExtraRangeWinsWhenOneWeightStandsOut()
    {
        // One weight at +16 units and the rest on the FP4 grid below 12: EA_POS represents all of them exactly.
        float[] w = [16, 1, -2, 3, 4, -6, 8, 12];
        var q = new BitmodQuantizer(4, groupSize: 8).Quantize(new WeightMatrix(1, 8, w));
        Assert.Equal(2, q.TypeIds![0]);
        Assert.Equal(1f, q.Scales[0]);
        Assert.Equal(w, q.Dequantize());
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var weights = SyntheticWeightsForTests.Small(rows: 32, cols: 512, seed: 9);
        var one = new BitmodQuantizer(3).Quantize(weights, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        var many = new BitmodQuantizer(3).Quantize(weights);
        Assert.Equal(one.Codes, many.Codes);
        Assert.Equal(one.Scales, many.Scales);
        Assert.Equal(one.TypeIds, many.TypeIds);
    }
}
