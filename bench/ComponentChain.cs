using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Time;

namespace HwSim.Bench;

/// <summary>
/// A source feeding a chain of stages; every stage forwards each message to the next over a link. Each message
/// costs one kernel event per link it crosses, so a wave of M messages through S stages is M·S events.
/// </summary>
internal sealed class ComponentChain
{
    private readonly Source source;

    public ComponentChain(int stages, Func<int, long> latencyPs)
    {
        var clock = new ClockDomain("core", 1_000_000_000);
        Simulator = new Simulator();
        source = new Source(Simulator, clock);
        OutPort<long> previous = source.Output;
        for (int i = 0; i < stages; i++)
        {
            var stage = new Stage(Simulator, $"stage{i}", clock, last: i == stages - 1);
            Link<long>.Connect(previous, stage.Input, latencyPs(i));
            previous = stage.Output;
            Last = stage;
        }
    }

    public Simulator Simulator { get; }
    public Stage Last { get; } = null!;

    /// <summary>Sends <paramref name="messages"/> into the chain and runs until every one reached the end.</summary>
    public void RunWave(int messages)
    {
        for (int m = 0; m < messages; m++) source.Output.Send(m);
        Simulator.Run();
    }

    private sealed class Source : Component
    {
        public Source(Simulator simulator, ClockDomain clock) : base(simulator, "source", clock) =>
            Output = AddOutPort<long>("out");

        public OutPort<long> Output { get; }
    }

    internal sealed class Stage : Component
    {
        public Stage(Simulator simulator, string name, ClockDomain clock, bool last) : base(simulator, name, clock)
        {
            Output = AddOutPort<long>("out");
            Input = last ? AddInPort<long>("in", _ => Arrived++) : AddInPort<long>("in", Output.Send);
        }

        public InPort<long> Input { get; }
        public OutPort<long> Output { get; }
        public long Arrived { get; private set; }
    }
}
