using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Time;
using HwSim.Sim.Trace;

namespace HwSim.Arch.Demo;

/// <summary>
/// The built-in demo model: producer -> bounded FIFO -> consumer on one clock. With producer period P, consumer
/// period C, depth d and N items, item i is made at p_i = s_(i-1) + P, pushed at s_i = max(p_i, c_(i-d)) and taken
/// at c_i = max(s_i, c_(i-1) + C); the run ends at c_N + C.
/// </summary>
public static class FifoPipeline
{
    public static FifoPipelineResult Run(FifoPipelineSpec spec, ChromeTraceWriter? trace = null)
    {
        if (spec.Validate() is { } problem) throw new ArgumentException(problem, nameof(spec));
        var clock = new ClockDomain("core", spec.ClockHz);
        var simulator = new Simulator(trace);
        var fifo = new BoundedFifo<long>(simulator, "fifo", clock, spec.FifoDepth);
        var producer = new Producer(simulator, clock, fifo, spec.Items, spec.ProducerCyclesPerItem);
        var consumer = new Consumer(simulator, clock, fifo, spec.Items, spec.ConsumerCyclesPerItem);
        producer.Start();
        consumer.Start();

        // A stop past the end of time is no stop: the validated run ends before it.
        bool stops = (Int128)spec.MaxCycles * 1_000_000_000_000 / spec.ClockHz < long.MaxValue;
        long horizonPs = stops ? clock.EdgeTimePs(spec.MaxCycles) : long.MaxValue;
        simulator.Run(horizonPs);
        var result = simulator.Collect();
        trace?.Finish(result.EndTimePs);

        var producerActivity = result.Component(producer.Name).Activity!;
        var consumerActivity = result.Component(consumer.Name).Activity!;
        return new FifoPipelineResult(
            spec,
            consumer.Consumed,
            clock.CycleAtOrBefore(result.EndTimePs),
            producerActivity.BusyCycles,
            producerActivity.StallCycles,
            consumerActivity.BusyCycles,
            consumerActivity.IdleCycles,
            fifo.RefusedPushes,
            consumer.Consumed == spec.Items,
            result);
    }
}
