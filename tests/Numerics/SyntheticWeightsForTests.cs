using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;

namespace HwSim.Tests.Numerics;

internal static class SyntheticWeightsForTests
{
    public static WeightMatrix Small(int rows, int cols, int seed, int outlierChannels = 2) =>
        SyntheticWeights.Generate(new SyntheticSpec(rows, cols, seed, OutlierChannels: outlierChannels));
}
