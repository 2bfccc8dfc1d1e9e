namespace HwSim.Numerics.Quantization.Ovp;

/// <summary>
/// OVP decoder (OliVe Sec. III), the part the hardware replicates at the array edge: per pair, an identifier in one
/// slot means (0, abfloat(other)) in that order; otherwise both slots decode as normal values. Values are in the
/// format's normalized units.
/// </summary>
public sealed class OvpDecoder(OvpFormat format) : ICodeDecoder
{
    public OvpFormat Format { get; } = format;

    public string Describe() => $"{Format.Normal.Name}+{Format.Outlier.Name} pairs";

    public (double First, double Second) DecodePair(int first, int second)
    {
        int id = Format.Identifier;
        if (first == id && second == id) throw new InvalidDataException("OVP pair holds two identifiers");
        if (second == id) return (Outlier(first), 0);
        if (first == id) return (0, Outlier(second));
        return (Normal(first), Normal(second));
    }

    /// <summary>An unpaired last element of an odd-length row is always a normal code.</summary>
    public double DecodeSingle(int code) => Normal(code);

    public void DecodeRow(QuantizedMatrix matrix, int row, Span<float> values)
    {
        int cols = matrix.Layout.Cols;
        var codes = matrix.Codes.AsSpan(row * cols, cols);
        for (int i = 0; i + 1 < cols; i += 2)
        {
            var (a, b) = DecodePair(codes[i], codes[i + 1]);
            values[i] = (float)a;
            values[i + 1] = (float)b;
        }
        if (cols % 2 == 1) values[cols - 1] = (float)DecodeSingle(codes[cols - 1]);
    }

    private double Normal(int code) => Checked(Format.Normal.Decode(code), code, "normal");

    private double Outlier(int code) => Checked(Format.Outlier.Decode(code), code, "abfloat");

    private static double Checked(double value, int code, string kind) =>
        double.IsFinite(value) ? value : throw new InvalidDataException($"OVP: code {code} is not a valid {kind} code");
}
