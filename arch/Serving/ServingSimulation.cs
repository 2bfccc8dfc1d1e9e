using HwSim.Sim.Kernel;

namespace HwSim.Arch.Serving;

/// <summary>One iteration as it ran: when, how long, what it computed, and the queue and cache it left behind.</summary>
public readonly record struct IterationRecord(long StartPs, long DurationPs, long Cycles, int Sequences, int Tokens, int Prefills,
    long KvBlocksUsed, int Waiting);

/// <summary>
/// The serving simulation on the discrete-event kernel (<see cref="Simulator"/>): two kinds of events, a request's
/// arrival and the end of an iteration. An arrival joins the waiting queue and, if the accelerator is idle, starts an
/// iteration (after the other arrivals of that instant); at the end of an iteration every sequence that computed its last known token emits one, finished
/// requests leave, and the scheduler builds the next batch. An iteration lasts the accelerator cycles
/// <see cref="IIterationCost"/> gives for its batch at the accelerator clock, rounded up to whole picoseconds.
/// </summary>
public sealed class ServingSimulation
{
    private readonly IReadOnlyList<ServingRequest> requests;
    private readonly IBatchScheduler scheduler;
    private readonly IIterationCost cost;
    private readonly long clockHz;
    private readonly Simulator sim = new();
    private readonly ServingQueues queues;
    private readonly RequestState?[] states;
    private readonly List<IterationRecord> iterations = [];
    private readonly List<SequenceStep> shapes = [];
    private readonly Action<long>? progress;
    private List<ScheduledStep> current = [];
    private bool busy;
    private long busyPs, completed, rejected;
    private readonly TimeIntegral inSystem = new(), waiting = new(), kvBlocks = new();

    public ServingSimulation(IReadOnlyList<ServingRequest> requests, IBatchScheduler scheduler, IIterationCost cost, KvCache kv,
        long clockHz, Action<long>? progress = null)
    {
        this.requests = requests;
        this.scheduler = scheduler;
        this.cost = cost;
        this.clockHz = clockHz;
        this.progress = progress;
        queues = new ServingQueues(kv);
        states = new RequestState?[requests.Count];
    }

    public ServingOutcome Run()
    {
        var arrivals = new ArrivalHandler(this);
        var ends = new IterationEndHandler(this);
        arrivalHandler = arrivals;
        endHandler = ends;
        startHandler = new StartHandler(this);
        if (requests.Count > 0) sim.ScheduleAt(requests[0].ArrivalPs, arrivals, 0);
        sim.Run();
        if (queues.Waiting.Count > 0 || queues.Running.Count > 0)
            throw new InvalidOperationException($"serving ended with {queues.Waiting.Count} waiting and {queues.Running.Count} running requests");
        long end = sim.NowPs;
        foreach (var integral in (TimeIntegral[])[inSystem, waiting, kvBlocks]) integral.Close(end);
        return new ServingOutcome(requests, [.. states], iterations, end, busyPs, completed, rejected, queues.Preemptions,
            inSystem, waiting, kvBlocks, queues.Kv, cost.Simulations, sim.EventsProcessed);
    }

    private ArrivalHandler? arrivalHandler;
    private IterationEndHandler? endHandler;
    private StartHandler? startHandler;

    private void OnArrival(int index)
    {
        var request = requests[index];
        if (index + 1 < requests.Count) sim.ScheduleAt(requests[index + 1].ArrivalPs, arrivalHandler!, index + 1);
        if (queues.Kv.BlocksFor(request.PromptTokens + request.OutputTokens - 1) > queues.Kv.TotalBlocks)
        {
            // Larger than the whole cache: it could never run (vLLM reports such prompts as ignored).
            rejected++;
            progress?.Invoke(1);
            return;
        }
        var state = new RequestState(request) { WaitingSincePs = sim.NowPs };
        states[index] = state;
        queues.Waiting.AddLast(state);
        inSystem.Set(sim.NowPs, inSystem.Value + 1);
        waiting.Set(sim.NowPs, queues.Waiting.Count);
        if (busy) return;
        // An idle accelerator starts after every arrival of this instant has joined the queue.
        busy = true;
        sim.Schedule(0, startHandler!, priority: 1);
    }

    private void StartIteration()
    {
        long now = sim.NowPs;
        current = scheduler.Next(queues, now);
        waiting.Set(now, queues.Waiting.Count);
        kvBlocks.Set(now, queues.Kv.UsedBlocks);
        if (current.Count == 0)
        {
            busy = false;
            return;
        }
        busy = true;
        shapes.Clear();
        int tokens = 0, prefills = 0;
        foreach (var (r, n) in current)
        {
            var shape = new SequenceStep(n, r.ComputedTokens + n, r.ComputedTokens > 0);
            shapes.Add(shape);
            tokens += n;
            if (!shape.IsDecode) prefills++;
        }
        long cycles = cost.Cycles(shapes);
        long durationPs = checked((long)(((Int128)cycles * RequestSource.PicosecondsPerSecond + clockHz - 1) / clockHz));
        busyPs += durationPs;
        iterations.Add(new IterationRecord(now, durationPs, cycles, current.Count, tokens, prefills, queues.Kv.UsedBlocks, queues.Waiting.Count));
        sim.Schedule(durationPs, endHandler!);
    }

    private void OnIterationEnd()
    {
        long now = sim.NowPs;
        foreach (var (r, n) in current)
        {
            r.ComputedTokens += n;
            if (r.ComputedTokens != r.KnownTokens) continue;
            r.GeneratedTokens++;
            if (r.FirstTokenPs < 0) r.FirstTokenPs = now;
            if (!r.Finished) continue;
            r.FinishPs = now;
            scheduler.Finished(queues, r);
            completed++;
            inSystem.Set(now, inSystem.Value - 1);
            progress?.Invoke(1);
        }
        StartIteration();
    }

    private sealed class ArrivalHandler(ServingSimulation owner) : IEventHandler
    {
        public void OnEvent(long argument) => owner.OnArrival((int)argument);
    }

    private sealed class IterationEndHandler(ServingSimulation owner) : IEventHandler
    {
        public void OnEvent(long argument) => owner.OnIterationEnd();
    }

    private sealed class StartHandler(ServingSimulation owner) : IEventHandler
    {
        public void OnEvent(long argument) => owner.StartIteration();
    }
}

/// <summary>∫ value dt of a piecewise-constant quantity, exact in picoseconds, with its maximum.</summary>
public sealed class TimeIntegral
{
    private long since;

    public long Value { get; private set; }
    public long Max { get; private set; }
    public Int128 Integral { get; private set; }

    public void Set(long nowPs, long value)
    {
        Integral += (Int128)Value * (nowPs - since);
        since = nowPs;
        Value = value;
        if (value > Max) Max = value;
    }

    public void Close(long endPs) => Set(endPs, Value);

    /// <summary>Time average over [0, <paramref name="endPs"/>].</summary>
    public double Mean(long endPs) => endPs == 0 ? 0 : (double)Integral / endPs;
}
