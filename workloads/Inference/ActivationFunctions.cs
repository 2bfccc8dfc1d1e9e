using MathNet.Numerics;

namespace HwSim.Workloads.Inference;

/// <summary>
/// FFN activations by their Hugging Face names (transformers' activations.ACT2FN): silu = x·σ(x); gelu = exact
/// x·Φ(x); gelu_new and gelu_pytorch_tanh = the tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))
/// (Hendrycks and Gimpel 2016); relu.
/// </summary>
public static class ActivationFunctions
{
    private static readonly Dictionary<string, Func<float, float>> Functions = new(StringComparer.Ordinal)
    {
        ["silu"] = x => x / (1 + MathF.Exp(-x)),
        ["swish"] = x => x / (1 + MathF.Exp(-x)),
        ["gelu"] = x => (float)(0.5 * x * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)))),
        ["gelu_new"] = GeluTanh,
        ["gelu_pytorch_tanh"] = GeluTanh,
        ["gelu_fast"] = GeluTanh,
        ["relu"] = x => MathF.Max(x, 0),
    };

    public static IReadOnlyCollection<string> Names => Functions.Keys;

    public static Func<float, float> Get(string name, string source) =>
        Functions.TryGetValue(name, out var function) ? function
            : throw new InvalidDataException($"{source}: activation '{name}' is not supported ({string.Join(", ", Functions.Keys)})");

    private static float GeluTanh(float x)
    {
        double v = x;
        return (float)(0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
    }
}
