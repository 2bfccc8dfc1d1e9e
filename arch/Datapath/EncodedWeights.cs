namespace HwSim.Arch.Datapath;

/// <summary>
/// Weights as they sit in the weight buffer: one code per weight, N rows (output channels) × K columns (input
/// channels), and for group-typed formats one type id per group of <see cref="GroupSize"/> along K.
/// </summary>
public sealed record EncodedWeights(int Rows, int Cols, byte[] Codes, byte[]? TypeIds = null, int GroupSize = 0)
{
    public int TypeId(int row, int col) =>
        TypeIds is null ? 0 : TypeIds[row * ((Cols + GroupSize - 1) / GroupSize) + col / GroupSize];
}
