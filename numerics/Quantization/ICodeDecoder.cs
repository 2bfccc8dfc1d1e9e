using HwSim.Numerics.DataTypes;

namespace HwSim.Numerics.Quantization;

/// <summary>
/// Turns a row of codes into unscaled values. Element-wise codebooks and OliVe's pair-wise OVP decoding are the two
/// implementations; the decoder is separate from the encoder so the hardware decoder can be modeled against it.
/// </summary>
public interface ICodeDecoder
{
    string Describe();
    void DecodeRow(QuantizedMatrix matrix, int row, Span<float> values);
}

/// <summary>Element-wise decoding with the codebook named by each group's type id (or the only codebook).</summary>
public sealed class CodebookDecoder : ICodeDecoder
{
    private readonly float[][] _tables;

    public CodebookDecoder(IReadOnlyList<Codebook> codebooks)
    {
        if (codebooks.Count == 0) throw new ArgumentException("at least one codebook", nameof(codebooks));
        Codebooks = codebooks;
        _tables = [.. codebooks.Select(c => Enumerable.Range(0, c.CodeCount).Select(code => (float)c.Decode(code)).ToArray())];
    }

    public CodebookDecoder(Codebook codebook) : this([codebook]) { }

    public IReadOnlyList<Codebook> Codebooks { get; }

    public string Describe() => string.Join("|", Codebooks.Select(c => c.Name));

    public void DecodeRow(QuantizedMatrix matrix, int row, Span<float> values)
    {
        var layout = matrix.Layout;
        var codes = matrix.Codes.AsSpan(row * layout.Cols, layout.Cols);
        for (int col = 0; col < layout.Cols; col++)
        {
            int group = matrix.GroupIndex(row, col);
            var table = _tables[matrix.TypeIds is null ? 0 : matrix.TypeIds[group]];
            float value = table[codes[col]];
            if (float.IsNaN(value))
                throw new InvalidDataException($"row {row}, column {col}: code {codes[col]} holds no value in {Codebooks[matrix.TypeIds?[group] ?? 0].Name}");
            values[col] = matrix.ZeroPoints is null ? value : value - matrix.ZeroPoints[group];
        }
    }
}
