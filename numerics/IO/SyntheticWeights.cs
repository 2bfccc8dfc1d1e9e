using HwSim.Numerics.Quantization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace HwSim.Numerics.IO;

/// <summary>
/// Parameters of an LLM-like synthetic weight matrix: a Gaussian bulk (σ), a fraction of elements drawn from a
/// heavier Laplace tail with the same standard deviation times <see cref="TailScale"/>, and a few input channels
/// (columns) multiplied by <see cref="OutlierMagnitude"/>, the structure that makes LLM weights hard to quantize
/// (Dettmers et al., LLM.int8(), 2022; Lin et al., AWQ, 2024). Defaults follow a 7B-class projection (σ ≈ 0.02).
/// </summary>
public sealed record SyntheticSpec(
    int Rows = 4096,
    int Cols = 4096,
    int Seed = 1,
    double Sigma = 0.02,
    double TailFraction = 0.01,
    double TailScale = 4,
    int OutlierChannels = 8,
    double OutlierMagnitude = 10)
{
    public void Validate()
    {
        if (Rows < 1) throw new InvalidDataException("synthetic Rows: must be at least 1");
        if (Cols < 1) throw new InvalidDataException("synthetic Cols: must be at least 1");
        if ((long)Rows * Cols > Array.MaxLength) throw new InvalidDataException("synthetic Rows x Cols: too many elements");
        if (!(Sigma > 0)) throw new InvalidDataException("synthetic Sigma: must be positive");
        if (TailFraction is < 0 or > 1) throw new InvalidDataException("synthetic TailFraction: must be in [0, 1]");
        if (!(TailScale > 0)) throw new InvalidDataException("synthetic TailScale: must be positive");
        if (OutlierChannels < 0 || OutlierChannels > Cols) throw new InvalidDataException("synthetic OutlierChannels: must be in [0, Cols]");
        if (!(OutlierMagnitude > 0)) throw new InvalidDataException("synthetic OutlierMagnitude: must be positive");
    }
}

/// <summary>Seeded generator: the same spec gives the same matrix, bit for bit, on every machine.</summary>
public static class SyntheticWeights
{
    public static WeightMatrix Generate(SyntheticSpec spec)
    {
        spec.Validate();
        var random = new Xoshiro256StarStar(spec.Seed);
        var values = new float[(long)spec.Rows * spec.Cols];
        var bulk = new Normal(0, spec.Sigma, random);
        // A Laplace with scale b has standard deviation b·√2.
        var tail = new Laplace(0, spec.Sigma * spec.TailScale / Math.Sqrt(2), random);
        for (long i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() < spec.TailFraction ? tail.Sample() : bulk.Sample());
        var outlierColumns = Enumerable.Range(0, spec.Cols).OrderBy(_ => random.Next()).Take(spec.OutlierChannels).ToArray();
        for (int row = 0; row < spec.Rows; row++)
            foreach (int col in outlierColumns) values[(long)row * spec.Cols + col] *= (float)spec.OutlierMagnitude;
        return new WeightMatrix(spec.Rows, spec.Cols, values);
    }

    /// <summary>Seeded FP16 activations (standard normal, rounded to FP16) for output-error measurements.</summary>
    public static Half[] Activations(int rows, int cols, int seed)
    {
        var normal = new Normal(0, 1, new Xoshiro256StarStar(seed));
        var values = new Half[rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = (Half)normal.Sample();
        return values;
    }
}
