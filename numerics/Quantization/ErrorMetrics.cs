namespace HwSim.Numerics.Quantization;

/// <summary>Quantization error of a reconstruction against its reference.</summary>
public sealed record ErrorReport(double Mse, double SqnrDb, double MaxAbsError)
{
    public override string ToString() => $"MSE {Mse:G4}, SQNR {SqnrDb:F2} dB, max |err| {MaxAbsError:G4}";
}

/// <summary>
/// MSE = Σ(x − y)² / n; SQNR = 10·log10(Σx² / Σ(x − y)²) dB (+∞ for an exact reconstruction); max |x − y|.
/// Sums run in double in index order, so the figures are reproducible.
/// </summary>
public static class ErrorMetrics
{
    public static double SumSquaredError(ReadOnlySpan<float> reference, ReadOnlySpan<float> reconstruction)
    {
        CheckLengths(reference, reconstruction);
        double sum = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double d = (double)reference[i] - reconstruction[i];
            sum += d * d;
        }
        return sum;
    }

    public static ErrorReport Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> reconstruction)
    {
        CheckLengths(reference, reconstruction);
        if (reference.Length == 0) throw new ArgumentException("no elements to compare", nameof(reference));
        double signal = 0, noise = 0, maxAbs = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double x = reference[i], d = x - reconstruction[i];
            signal += x * x;
            noise += d * d;
            maxAbs = Math.Max(maxAbs, Math.Abs(d));
        }
        double sqnr = noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
        return new ErrorReport(noise / reference.Length, sqnr, maxAbs);
    }

    private static void CheckLengths(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths differ: {a.Length} vs {b.Length}");
    }
}
