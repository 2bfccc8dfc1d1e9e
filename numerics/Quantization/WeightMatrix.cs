namespace HwSim.Numerics.Quantization;

/// <summary>
/// A weight matrix in the layout of a linear layer, row-major: one row per output channel, one column per input
/// channel (PyTorch's [out_features, in_features]). Groups run along a row, i.e. along the input channel.
/// </summary>
public sealed record WeightMatrix
{
    public WeightMatrix(int rows, int cols, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if ((long)rows * cols != values.Length)
            throw new ArgumentException($"{rows} x {cols} matrix needs {(long)rows * cols} values, got {values.Length}", nameof(values));
        Rows = rows;
        Cols = cols;
        Values = values;
    }

    public int Rows { get; }
    public int Cols { get; }
    public float[] Values { get; }

    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Cols, Cols);

    /// <summary>Fails with the position of the first NaN or infinity: no quantizer accepts them.</summary>
    public void EnsureFinite(string what)
    {
        for (int i = 0; i < Values.Length; i++)
        {
            if (!float.IsFinite(Values[i]))
                throw new InvalidDataException($"{what}: element [{i / Cols}, {i % Cols}] is {Values[i]}; weights must be finite");
        }
    }
}
