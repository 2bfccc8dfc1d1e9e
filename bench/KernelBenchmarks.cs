using BenchmarkDotNet.Attributes;
using HwSim.Arch.Demo;

namespace HwSim.Bench;

/// <summary>
/// Kernel throughput. Each benchmark declares its exact kernel-event count as OperationsPerInvoke, so the reported
/// time per operation is the time per event; events per second = 10^9 / (ns per op). Setup checks the count.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class KernelBenchmarks
{
    private const int Stages = 1_000;
    private const int Messages = 1_000;
    private const int ChainEvents = Stages * Messages;
    private const int PipelineEvents = 299_988;
    private static readonly FifoPipelineSpec Pipeline = new(Items: 100_000, ProducerCyclesPerItem: 2, ConsumerCyclesPerItem: 3, FifoDepth: 4);

    private ComponentChain chain = null!;
    private OvertakingChain overtaking = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Link latencies of 1..4 ns, the same for every message: the whole wave moves in lockstep, so each stage's
        // 1,000 events share one timestamp (the queue's easiest case).
        chain = new ComponentChain(Stages, stage => 1_000 * (1 + stage % 4));
        long before = chain.Simulator.EventsProcessed;
        chain.RunWave(Messages);
        Check(chain.Simulator.EventsProcessed - before, ChainEvents, "chain");
        Check(chain.Last.Arrived, Messages, "messages through the chain");
        // Two links per stage, picked per message: the wave spreads out and messages pass each other.
        overtaking = new OvertakingChain(Stages + 1);
        before = overtaking.Simulator.EventsProcessed;
        overtaking.RunWave(Messages);
        Check(overtaking.Simulator.EventsProcessed - before, ChainEvents, "overtaking chain");
        Check(overtaking.Last.Arrived, Messages, "messages through the overtaking chain");
        Console.WriteLine($"// overtaking chain: {overtaking.Last.Overtaken} of {Messages} messages arrived after a later one, " +
            $"at {overtaking.Last.DistinctArrivalTimes} distinct times");
        if (overtaking.Last.Overtaken == 0 || overtaking.Last.DistinctArrivalTimes < Messages / 10)
            throw new InvalidOperationException("the overtaking chain does not spread its messages out");
        Check(FifoPipeline.Run(Pipeline).Simulation.EventsProcessed, PipelineEvents, "FIFO pipeline");
    }

    private static void Check(long actual, long expected, string what)
    {
        if (actual != expected) throw new InvalidOperationException($"{what}: {actual} events, expected {expected}");
    }

    [Benchmark(OperationsPerInvoke = ChainEvents, Description = "(a) lockstep: 1,000-stage chain, 1,000 messages, one timestamp per stage (ns/event)")]
    public void ChainOfComponents() => chain.RunWave(Messages);

    [Benchmark(OperationsPerInvoke = ChainEvents, Description = "(a2) overtaking: 1,000 links of two varied latencies, 1,000 messages pass each other (ns/event)")]
    public void OvertakingChainOfComponents() => overtaking.RunWave(Messages);

    [Benchmark(OperationsPerInvoke = PipelineEvents, Description = "FIFO pipeline under back-pressure, 100k items (ns/event)")]
    public long FifoPipelineUnderBackPressure() => FifoPipeline.Run(Pipeline).TotalCycles;
}
