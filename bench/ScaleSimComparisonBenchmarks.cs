using BenchmarkDotNet.Attributes;
using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;

namespace HwSim.Bench;

/// <summary>
/// Like-for-like with SCALE-Sim v2's published layers (shared reference scalesim.md, SCALE-Sim @22f88b1): SCALE-Sim
/// builds its COMPUTE_REPORT from a cycle-by-cycle operand trace, so the counterpart of its run time is HwSim's
/// detailed model stepping the same array cycle by cycle over the same layer (INT8 weights, bit-parallel MACs),
/// not the closed form. Setup checks that the detailed run gives SCALE-Sim's published total (cycles − 1).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ScaleSimComparisonBenchmarks
{
    private sealed record Layer(int Array, int M, int N, int K, long PublishedCycles)
    {
        public DetailedArraySimulator Simulator { get; } = new(new ArraySpec(Array, Array, Dataflow.Ws), new BitParallelPe(1, ["int8"], "int8"),
            WeightDatatypes.Get("int8"), new RomDecoderUnit(IntegerTypes.TwosComplement(8)));

        public long[] Activations { get; } = Operands(M * K, 1);
        public EncodedWeights Weights { get; } = new(N, K, [.. Operands(N * K, 2).Select(v => (byte)v)]);

        private static long[] Operands(int count, int seed)
        {
            var random = new Random(seed);
            var values = new long[count];
            for (int i = 0; i < count; i++) values[i] = random.Next(-128, 128);
            return values;
        }

        public long Run() => Simulator.Run(Activations, M, Weights).Cycles - 1;
    }

    // SCALE-Sim's 32x32 WS M=128 N=256 K=256: 14,207 cycles; 128x128 WS M=512 N=4096 K=4096: 915,455 cycles (its
    // whole run took 4 min 10 s on a 2-core machine).
    private Layer small = null!, large = null!;

    [GlobalSetup(Target = nameof(Detailed32))]
    public void SetupSmall()
    {
        small = new Layer(32, 128, 256, 256, 14_207);
        Check(small);
    }

    [GlobalSetup(Target = nameof(Detailed128))]
    public void SetupLarge() => large = new Layer(128, 512, 4096, 4096, 915_455);

    private static void Check(Layer layer)
    {
        long cycles = layer.Run();
        if (cycles != layer.PublishedCycles) throw new InvalidOperationException($"detailed model: {cycles} cycles, SCALE-Sim {layer.PublishedCycles}");
    }

    [Benchmark(Description = "SCALE-Sim 32x32 WS M=128 N=256 K=256, cycle by cycle: HwSim detailed model (14.5 M PE-cycles)")]
    public long Detailed32() => small.Run();

    /// <summary>About 15·10⁹ PE-cycles: minutes per invocation; run with --job dry or short on a quiet machine.</summary>
    [Benchmark(Description = "SCALE-Sim 128x128 WS M=512 N=4096 K=4096, cycle by cycle: HwSim detailed model (SCALE-Sim: 4 min 10 s)")]
    public long Detailed128() => large.Run();
}
