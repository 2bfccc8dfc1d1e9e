using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;

namespace HwSim.Bench;

/// <summary>The detailed-model benchmark cases: one GEMM M=64 N=64 K=256 on a 32x32 array, built the same way in the
/// benchmark process and in the host that prints the rate columns.</summary>
internal static class DetailedCases
{
    public const int M = 64, N = 64, K = 256;

    public sealed record Instance(DetailedArraySimulator Simulator, long[] Activations, EncodedWeights Weights);

    public sealed record RunCounts(long Cycles, long PeCycles, long BusyPeCycles);

    private static readonly ConcurrentDictionary<string, RunCounts> counts = new();

    public static Instance Build(string name)
    {
        var random = new Random(1);
        var activations = new long[M * K];
        for (int i = 0; i < activations.Length; i++) activations[i] = random.Next(-128, 128);
        var codes = new byte[N * K];
        if (name.StartsWith("bitmod", StringComparison.Ordinal))
        {
            for (int i = 0; i < codes.Length; i++) codes[i] = (byte)random.Next(16);
            var weights = new EncodedWeights(N, K, codes, new byte[N * K / 128].Select(_ => (byte)random.Next(4)).ToArray(), 128);
            var preset = Presets.Find("bitmod")!;
            return new(new DetailedArraySimulator(preset.Array, preset.Pe, WeightDatatypes.Get("bitmod4"), new BitmodDecoderUnit(4)), activations, weights);
        }
        for (int i = 0; i < codes.Length; i++) codes[i] = (byte)random.Next(256);
        var dataflow = name.StartsWith("ws", StringComparison.Ordinal) ? Dataflow.Ws : Dataflow.Os;
        return new(new DetailedArraySimulator(new ArraySpec(32, 32, dataflow), new BitParallelPe(1, ["int8"], "int8"),
            WeightDatatypes.Get("int8"), new RomDecoderUnit(IntegerTypes.TwosComplement(8))), activations, new EncodedWeights(N, K, codes));
    }

    /// <summary>The counts of one run of the case (deterministic, so one run stands for every iteration).</summary>
    public static RunCounts Counts(string name) => counts.GetOrAdd(name, n =>
    {
        var instance = Build(n);
        var result = instance.Simulator.Run(instance.Activations, M, instance.Weights);
        return new RunCounts(result.Cycles, result.PeCycles, result.BusyPeCycles);
    });
}

/// <summary>Adds the three rate columns to the detailed benchmark's summary.</summary>
internal sealed class DetailedRatesConfig : ManualConfig
{
    public DetailedRatesConfig()
    {
        AddColumn(new RateColumn("array-cycles/s", c => c.Cycles));
        AddColumn(new RateColumn("PE-cycles/s", c => c.PeCycles));
        AddColumn(new RateColumn("busy PE-cycles/s", c => c.BusyPeCycles));
    }

    /// <summary>count(case) / median time, per second.</summary>
    private sealed class RateColumn(string name, Func<DetailedCases.RunCounts, long> count) : IColumn
    {
        public string Id => "rate-" + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name}: the run's count divided by the median time (per second)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            if (statistics is null || benchmarkCase.Parameters["Case"] is not string name) return "NA";
            double perSecond = count(DetailedCases.Counts(name)) / (statistics.Median / 1e9);
            return perSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
