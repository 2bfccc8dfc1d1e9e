using HwSim.Sim.Components;
using HwSim.Sim.Kernel;
using HwSim.Sim.Stats;
using HwSim.Sim.Time;

namespace HwSim.Arch.Demo;

/// <summary>Makes one item every <c>cyclesPerItem</c> cycles and pushes it; stalls while the FIFO is full.</summary>
internal sealed class Producer : Component
{
    private const long ItemMade = 0;
    private const long SpaceFreed = 1;
    private readonly BoundedFifo<long> output;
    private readonly long items;
    private readonly long cyclesPerItem;
    private long made;

    public Producer(Simulator simulator, ClockDomain clock, BoundedFifo<long> output, long items, long cyclesPerItem)
        : base(simulator, "producer", clock)
    {
        this.output = output;
        this.items = items;
        this.cyclesPerItem = cyclesPerItem;
    }

    public void Start() => MakeNext();

    private void MakeNext()
    {
        Activity.Set(ActivityState.Busy);
        WakeAfterCycles(cyclesPerItem, ItemMade);
    }

    protected override void OnWake(long tag)
    {
        if (output.TryPush(made))
        {
            made++;
            if (made < items) MakeNext();
            else Activity.Set(ActivityState.Idle);
        }
        else
        {
            Activity.Set(ActivityState.Stalled);
            output.NotifyWhenNotFull(this, SpaceFreed);
        }
    }
}

/// <summary>Takes an item as soon as one is available and spends <c>cyclesPerItem</c> cycles on it.</summary>
internal sealed class Consumer : Component
{
    private const long DataArrived = 0;
    private const long ItemDone = 1;
    private readonly BoundedFifo<long> input;
    private readonly long items;
    private readonly long cyclesPerItem;

    public Consumer(Simulator simulator, ClockDomain clock, BoundedFifo<long> input, long items, long cyclesPerItem)
        : base(simulator, "consumer", clock)
    {
        this.input = input;
        this.items = items;
        this.cyclesPerItem = cyclesPerItem;
    }

    public long Consumed { get; private set; }

    public void Start() => TakeNext();

    protected override void OnWake(long tag)
    {
        if (tag == ItemDone)
        {
            Consumed++;
            if (Consumed == items)
            {
                Activity.Set(ActivityState.Idle);
                return;
            }
        }
        TakeNext();
    }

    private void TakeNext()
    {
        if (input.TryPop(out _))
        {
            Activity.Set(ActivityState.Busy);
            WakeAfterCycles(cyclesPerItem, ItemDone);
        }
        else
        {
            Activity.Set(ActivityState.Idle);
            input.NotifyWhenNotEmpty(this, DataArrived);
        }
    }
}
