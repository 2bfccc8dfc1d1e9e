using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Arch.Timing;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch;

public class ArrayTimingTests
{
    private static readonly PeSpec Int8Mac = new BitParallelPe(1, ["int8"], "int8");
    private static readonly WeightDatatype Int8 = WeightDatatypes.Get("int8");

    /// <summary>SCALE-Sim v2 @ 22f88b1 COMPUTE_REPORT totals (shared reference scalesim.md); SCALE-Sim reports cycles from 0.</summary>
    [Theory]
    [InlineData(Dataflow.Ws, 32, 128, 256, 256, 14207)]
    [InlineData(Dataflow.Os, 32, 128, 256, 256, 10175)]
    [InlineData(Dataflow.Is, 32, 128, 256, 256, 11199)]
    [InlineData(Dataflow.Ws, 128, 512, 4096, 4096, 915455)]
    public void ClosedFormMatchesPublishedScaleSimTotals(Dataflow dataflow, int size, long m, long n, long k, long published)
    {
        var timing = ArrayTiming.Gemm(new ArraySpec(size, size, dataflow), Int8Mac, Int8, m, n, k);
        Assert.Equal(published, timing.Cycles - 1);
        Assert.Equal(1.0, timing.MappingEfficiency);
    }

    [Theory]
    [InlineData(Dataflow.Ws, 14207)]
    [InlineData(Dataflow.Os, 10175)]
    [InlineData(Dataflow.Is, 11199)]
    public void DetailedSimulationReproducesPublishedScaleSimTotals(Dataflow dataflow, long published)
    {
        const int m = 128, n = 256, k = 256;
        var (activations, weights) = RandomOperands(m, n, k, seed: 7, weightRange: 127);
        var sim = new DetailedArraySimulator(new ArraySpec(32, 32, dataflow), Int8Mac, Int8, new RomDecoderUnit(IntegerTypes.TwosComplement(8)));
        var result = sim.Run(activations, m, Encode(weights, n, k));
        Assert.Equal(published, result.Cycles - 1);
        Assert.Equal(ExactProduct(activations, weights, m, n, k), result.Outputs);
    }

    private static readonly string[] Kinds = ["bitParallel", "bitSerial", "termSerial"];

    /// <summary>A PE of each kind: 3 bits per cycle bit-serial, 1 term per cycle term-serial.</summary>
    internal static PeSpec Pe(string kind, int width, params string[] weightTypes) => kind switch
    {
        "bitParallel" => new BitParallelPe(width, weightTypes, "int8"),
        "bitSerial" => new BitSerialPe(width, weightTypes, BitsPerCycle: 3, "int8"),
        _ => new TermSerialPe(width, weightTypes, TermsPerCycle: 1, "int8"),
    };

    public static TheoryData<Dataflow, Interconnect, string, int> Configurations()
    {
        var data = new TheoryData<Dataflow, Interconnect, string, int>();
        foreach (var dataflow in new[] { Dataflow.Ws, Dataflow.Os, Dataflow.Is })
            foreach (var kind in Kinds)
                foreach (int width in new[] { 1, 3 })
                    data.Add(dataflow, Interconnect.Systolic, kind, width);
        foreach (var kind in Kinds)
            foreach (int width in new[] { 1, 4 })
                data.Add(Dataflow.Os, Interconnect.Broadcast, kind, width);
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void DetailedAndClosedFormAgreeOnEveryTileShape(Dataflow dataflow, Interconnect interconnect, string kind, int width)
    {
        var pe = Pe(kind, width, "int8");
        int seed = 0;
        foreach (var (rows, cols) in new[] { (1, 1), (3, 4), (4, 3), (5, 5) })
        {
            var array = new ArraySpec(rows, cols, dataflow, interconnect);
            var sim = new DetailedArraySimulator(array, pe, Int8, new RomDecoderUnit(IntegerTypes.TwosComplement(8)));
            foreach (int m in new[] { 1, 4, 7 })
            foreach (int n in new[] { 1, 5, 9 })
            foreach (int k in new[] { 1, 6, 11 })
            {
                var (activations, weights) = RandomOperands(m, n, k, seed++, weightRange: 128);
                var detailed = sim.Run(activations, m, Encode(weights, n, k));
                var closed = ArrayTiming.Gemm(array, pe, Int8, m, n, k);
                string at = $"{rows}x{cols} M={m} N={n} K={k}";
                Assert.True(closed.Cycles == detailed.Cycles, $"{at}: closed form {closed.Cycles}, detailed {detailed.Cycles}");
                Assert.True(closed.Mapping.Folds == detailed.Folds, $"{at}: folds");
                Assert.True(closed.BusyPeCycles == detailed.BusyPeCycles, $"{at}: busy PE-cycles {closed.BusyPeCycles} vs {detailed.BusyPeCycles}");
                Assert.All(detailed.FoldCycles, c => Assert.Equal(closed.FoldCycles, c));
                Assert.Equal(ExactProduct(activations, weights, m, n, k), detailed.Outputs);
            }
        }
    }

    [Fact]
    public void CyclesPerStepFollowTheDatatype()
    {
        var termSerial = new TermSerialPe(4, ["bitmod4"], TermsPerCycle: 1);
        // BitMoD Sec. IV: 4 MACs per 2 cycles for FP3/FP4, per 3 for INT6, per 4 for INT8.
        Assert.Equal(2, termSerial.CyclesPerStep(WeightDatatypes.Get("bitmod4")));
        Assert.Equal(2, termSerial.CyclesPerStep(WeightDatatypes.Get("bitmod3")));
        Assert.Equal(3, termSerial.CyclesPerStep(WeightDatatypes.Get("int6")));
        Assert.Equal(4, termSerial.CyclesPerStep(WeightDatatypes.Get("int8")));
        var bitSerial = new BitSerialPe(1, ["int8"], BitsPerCycle: 2);
        Assert.Equal(4, bitSerial.CyclesPerStep(Int8));
        Assert.Equal(1, Int8Mac.CyclesPerStep(Int8));
    }

    [Fact]
    public void NonAdjacentFormTermsSumToTheValueWithoutAdjacentDigits()
    {
        for (long value = -70000; value <= 70000; value += 7)
        {
            var terms = NonAdjacentForm.Terms(value);
            Assert.Equal(value, terms.Sum(t => t.Negative ? -(1L << t.Shift) : 1L << t.Shift));
            for (int i = 1; i < terms.Count; i++) Assert.True(terms[i].Shift >= terms[i - 1].Shift + 2);
        }
    }

    internal static (long[] Activations, long[] Weights) RandomOperands(int m, int n, int k, int seed, int weightRange)
    {
        var random = new Random(seed);
        var activations = new long[m * k];
        for (int i = 0; i < activations.Length; i++) activations[i] = random.Next(-128, 128);
        var weights = new long[n * k];
        for (int i = 0; i < weights.Length; i++) weights[i] = random.Next(-weightRange, weightRange);
        return (activations, weights);
    }

    /// <summary>Two's-complement byte codes of integer weights, for the ROM decoder of TwosComplement(8).</summary>
    internal static EncodedWeights Encode(long[] weights, int n, int k)
    {
        var codebook = IntegerTypes.TwosComplement(8);
        return new EncodedWeights(n, k, [.. weights.Select(w => (byte)codebook.Encode(w))]);
    }

    internal static long[] ExactProduct(long[] a, long[] w, int m, int n, int k)
    {
        var c = new long[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                long sum = 0;
                for (int t = 0; t < k; t++) sum += a[i * k + t] * w[j * k + t];
                c[i * n + j] = sum;
            }
        return c;
    }
}
