using System.Numerics;

namespace HwSim.Numerics.DataTypes;

/// <summary>
/// Vectorized nearest-value search over a codebook for float inputs: the index of the nearest value is the number of
/// thresholds (midpoints) below the input, counted lane-wise with <see cref="Vector{T}"/> compares, so the result is
/// exactly <see cref="Codebook.NearestIndex"/> (thresholds of an 8-bit codebook are exact in float). Used by the hot
/// quantizer loops; the scalar binary search stays the reference.
/// </summary>
public sealed class NearestValueKernel
{
    private readonly float[] _thresholds;
    private readonly bool[] _tieGoesUp;
    private readonly float[] _steps;
    private readonly float _lowest;
    private readonly Vector<float>[] _thresholdLanes;
    private readonly Vector<float>[] _stepLanes;
    private readonly bool _anyTieGoesUp;
    private readonly bool _everyTieGoesUp;

    public NearestValueKernel(Codebook codebook)
    {
        Codebook = codebook;
        _thresholds = new float[codebook.Thresholds.Length];
        _steps = new float[codebook.Thresholds.Length];
        for (int i = 0; i < _thresholds.Length; i++)
        {
            double t = codebook.Thresholds[i];
            _thresholds[i] = (float)t;
            if (_thresholds[i] != t) throw new ArgumentException($"{codebook.Name}: threshold {t} is not exact in float");
            _steps[i] = (float)(codebook.SortedValues[i + 1] - codebook.SortedValues[i]);
        }
        _tieGoesUp = codebook.TieGoesUp.ToArray();
        _lowest = (float)codebook.SortedValues[0];
        _thresholdLanes = [.. _thresholds.Select(t => new Vector<float>(t))];
        _stepLanes = [.. _steps.Select(t => new Vector<float>(t))];
        _anyTieGoesUp = _tieGoesUp.Any(up => up);
        _everyTieGoesUp = _tieGoesUp.All(up => up);
    }

    public Codebook Codebook { get; }

    /// <summary>Writes the index into <see cref="Codebook.SortedValues"/> of the nearest value of each input.</summary>
    public void NearestIndices(ReadOnlySpan<float> x, Span<int> indices)
    {
        if (indices.Length < x.Length) throw new ArgumentException("output shorter than input", nameof(indices));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                var count = Vector<int>.Zero;
                var thresholds = _thresholdLanes;
                if (_everyTieGoesUp)
                {
                    for (int k = 0; k < thresholds.Length; k++) count -= Vector.GreaterThanOrEqual(v, thresholds[k]);
                }
                else if (_anyTieGoesUp)
                {
                    for (int k = 0; k < thresholds.Length; k++)
                        count -= Vector.GreaterThan(v, thresholds[k]) | (_tieGoesUp[k] ? Vector.Equals(v, thresholds[k]) : Vector<int>.Zero);
                }
                else
                {
                    for (int k = 0; k < thresholds.Length; k++) count -= Vector.GreaterThan(v, thresholds[k]); // true lanes are -1
                }
                count.CopyTo(indices[i..]);
            }
        }
        for (; i < x.Length; i++) indices[i] = ScalarIndex(x[i]);
    }

    /// <summary>Writes the nearest codebook value of each input.</summary>
    public void NearestValues(ReadOnlySpan<float> x, Span<float> values)
    {
        if (values.Length < x.Length) throw new ArgumentException("output shorter than input", nameof(values));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                var q = new Vector<float>(_lowest);
                var thresholds = _thresholdLanes;
                var steps = _stepLanes;
                // Sorted values are partial sums of the steps; every partial sum is a codebook value, so it is exact.
                for (int k = 0; k < thresholds.Length && k < steps.Length; k++)
                {
                    var above = Vector.GreaterThan(v, thresholds[k]);
                    if (_anyTieGoesUp && _tieGoesUp[k]) above |= Vector.Equals(v, thresholds[k]);
                    q += Vector.BitwiseAnd(steps[k], above.As<int, float>());
                }
                q.CopyTo(values[i..]);
            }
        }
        for (; i < x.Length; i++) values[i] = (float)Codebook.SortedValues[ScalarIndex(x[i])];
    }

    private int ScalarIndex(float x)
    {
        if (float.IsNaN(x)) throw new ArgumentException($"{Codebook.Name}: cannot encode NaN", nameof(x));
        int count = 0;
        for (int k = 0; k < _thresholds.Length; k++)
            if (x > _thresholds[k] || (x == _thresholds[k] && _tieGoesUp[k])) count++;
        return count;
    }
}
