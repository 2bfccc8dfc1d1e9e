using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Time;

namespace HwSim.Bench;

/// <summary>
/// A chain of stages joined by two links each, a fast one and a slow one of varied latencies; every stage sends each
/// message on by the link a hash of (message, stage) picks. Messages that leave together drift apart and pass each
/// other, so the event queue holds many distinct timestamps at once (unlike <see cref="ComponentChain"/>, where a
/// wave moves in lockstep and every event of a stage shares one timestamp). A wave of M messages through S stages is
/// still M·S events, one per link crossed.
/// </summary>
internal sealed class OvertakingChain
{
    private readonly Stage first;

    public OvertakingChain(int stages)
    {
        var clock = new ClockDomain("core", 1_000_000_000);
        Simulator = new Simulator();
        var stageList = new Stage[stages];
        for (int i = 0; i < stages; i++) stageList[i] = new Stage(Simulator, $"stage{i}", clock, i, last: i == stages - 1);
        for (int i = 0; i + 1 < stages; i++)
        {
            // Fast links 1..4 ns, slow links 3..9 ns longer, both varying along the chain.
            long fastPs = 1_000 * (1 + i % 4), slowPs = fastPs + 1_000 * (3 + i % 7);
            Link<long>.Connect(stageList[i].Fast, stageList[i + 1].FastIn, fastPs);
            Link<long>.Connect(stageList[i].Slow, stageList[i + 1].SlowIn, slowPs);
        }
        first = stageList[0];
        Last = stageList[^1];
    }

    public Simulator Simulator { get; }
    public Stage Last { get; }

    /// <summary>Injects <paramref name="messages"/> at the first stage at the current time and runs until all arrived.</summary>
    public void RunWave(int messages)
    {
        Last.ResetArrivals();
        for (int m = 0; m < messages; m++) first.Forward(m);
        Simulator.Run();
    }

    internal sealed class Stage : Component
    {
        private readonly int index;
        private readonly bool last;
        private readonly HashSet<long> arrivalTimes = [];
        private long highestArrived = -1;

        public Stage(Simulator simulator, string name, ClockDomain clock, int index, bool last) : base(simulator, name, clock)
        {
            this.index = index;
            this.last = last;
            Fast = AddOutPort<long>("fast");
            Slow = AddOutPort<long>("slow");
            FastIn = AddInPort<long>("fastIn", Forward);
            SlowIn = AddInPort<long>("slowIn", Forward);
        }

        public OutPort<long> Fast { get; }
        public OutPort<long> Slow { get; }
        public InPort<long> FastIn { get; }
        public InPort<long> SlowIn { get; }
        public long Arrived { get; private set; }

        /// <summary>Arrivals at this (last) stage that came after a higher-numbered message: overtaken messages.</summary>
        public long Overtaken { get; private set; }

        /// <summary>Distinct timestamps at which messages arrived at this (last) stage.</summary>
        public int DistinctArrivalTimes => arrivalTimes.Count;

        public void ResetArrivals()
        {
            Arrived = Overtaken = 0;
            highestArrived = -1;
            arrivalTimes.Clear();
        }

        public void Forward(long message)
        {
            if (last)
            {
                Arrived++;
                if (message < highestArrived) Overtaken++;
                highestArrived = Math.Max(highestArrived, message);
                arrivalTimes.Add(Simulator.NowPs);
                return;
            }
            // SplitMix64's finalizer (Steele, Lea and Flood, OOPSLA 2014) of (message, stage): a fixed route choice
            // independent from stage to stage, so each message's count of slow links varies (a Fibonacci hash of
            // consecutive stages is too evenly spread and sends every message the same mix of links).
            ulong z = unchecked(((ulong)message << 20 | (uint)index) + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            if (((z ^ (z >> 31)) & 1) == 0) Fast.Send(message);
            else Slow.Send(message);
        }
    }
}
