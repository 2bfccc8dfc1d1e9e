using BenchmarkDotNet.Attributes;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Bench;

/// <summary>
/// Weight quantization of a synthetic LLM-like 4096 x 4096 matrix on one thread. Targets: BitMoD 4-bit per-group
/// (g128) quantization at >= 50 M weights/s; OVP 4-bit encoding at >= 100 M weights/s. Reported times are per weight
/// (OperationsPerInvoke = 4096 x 4096).
/// </summary>
[MedianColumn]
public class QuantizerBenchmarks
{
    private const int Size = 4096;
    private static readonly ParallelOptions OneThread = new() { MaxDegreeOfParallelism = 1 };

    private WeightMatrix _weights = null!;
    private float[] _normalized = null!;
    private byte[] _codes = null!;
    private int[] _scratch = null!;
    private readonly BitmodQuantizer _bitmod = new(4, 128);
    private readonly OvpQuantizer _ovp = new(OvpFormat.Int4);

    [GlobalSetup]
    public void Setup()
    {
        _weights = SyntheticWeights.Generate(new SyntheticSpec(Size, Size, Seed: 1));
        // Normalize once with the per-channel scales the quantizer would use, so the encode benchmark times encoding only.
        var scales = _ovp.Quantize(_weights).Scales;
        _normalized = new float[_weights.Values.Length];
        for (int i = 0; i < _normalized.Length; i++) _normalized[i] = _weights.Values[i] / scales[i / Size];
        _codes = new byte[_normalized.Length];
        _scratch = new int[Size];
        var check = _bitmod.Quantize(_weights, OneThread);
        if (check.TypeIds!.Distinct().Count() != 4) throw new InvalidOperationException("benchmark matrix should exercise all four BitMoD types");
    }

    [Benchmark(Description = "BitMoD-4 g128 quantize (per weight, 1 thread)", OperationsPerInvoke = Size * Size)]
    public int BitmodQuantize() => _bitmod.Quantize(_weights, OneThread).TypeIds![^1];

    [Benchmark(Description = "OVP-4 int encode (per weight, 1 thread)", OperationsPerInvoke = Size * Size)]
    public byte OvpEncode()
    {
        for (int row = 0; row < Size; row++)
            _ovp.EncodeNormalized(_normalized.AsSpan(row * Size, Size), _codes.AsSpan(row * Size, Size), _scratch);
        return _codes[^1];
    }
}
