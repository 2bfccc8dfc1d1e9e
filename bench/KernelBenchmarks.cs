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

    [GlobalSetup]
    public void Setup()
    {
        // Link latencies of 1..4 ns keep messages overtaking each other's stages, so the queue holds a full wave.
        chain = new ComponentChain(Stages, stage => 1_000 * (1 + stage % 4));
        long before = chain.Simulator.EventsProcessed;
        chain.RunWave(Messages);
        Check(chain.Simulator.EventsProcessed - before, ChainEvents, "chain");
        Check(chain.Last.Arrived, Messages, "messages through the chain");
        Check(FifoPipeline.Run(Pipeline).Simulation.EventsProcessed, PipelineEvents, "FIFO pipeline");
    }

    private static void Check(long actual, long expected, string what)
    {
        if (actual != expected) throw new InvalidOperationException($"{what}: {actual} events, expected {expected}");
    }

    [Benchmark(OperationsPerInvoke = ChainEvents, Description = "chain of 1,000 components, 1,000 messages (ns/event)")]
    public void ChainOfComponents() => chain.RunWave(Messages);

    [Benchmark(OperationsPerInvoke = PipelineEvents, Description = "FIFO pipeline under back-pressure, 100k items (ns/event)")]
    public long FifoPipelineUnderBackPressure() => FifoPipeline.Run(Pipeline).TotalCycles;
}
