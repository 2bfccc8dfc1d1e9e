using CsCheck;
using HwSim.Sim.Kernel;

namespace HwSim.Tests.Sim;

/// <summary>The hand-written heap against an independent reference: sorting the surviving events by key.</summary>
public class EventQueuePropertyTests
{
    private sealed class Log(Simulator simulator) : IEventHandler
    {
        public List<EventKey> Ran { get; } = [];

        public void OnEvent(long argument) =>
            Ran.Add(new EventKey(simulator.NowPs, simulator.CurrentPriority, argument));
    }

    [Fact]
    public void RunsExactlyTheUncancelledEventsInKeyOrder()
    {
        var operation = Gen.Select(Gen.Long[0, 50], Gen.Int[-3, 3], Gen.Bool);
        operation.Array[0, 400].Sample(operations =>
        {
            var simulator = new Simulator();
            var log = new Log(simulator);
            var scheduled = new List<EventId>();
            var expected = new List<EventKey>();
            for (int i = 0; i < operations.Length; i++)
            {
                var (time, priority, cancelEarlier) = operations[i];
                var id = simulator.ScheduleAt(time, log, argument: i, priority);
                scheduled.Add(id);
                expected.Add(new EventKey(time, priority, i));
                if (cancelEarlier && scheduled.Count > 1)
                {
                    var victim = scheduled[(int)(time * 7 % scheduled.Count)];
                    if (simulator.Cancel(victim)) expected.RemoveAll(k => k.Sequence == victim.Key.Sequence);
                }
            }
            simulator.Run();
            expected.Sort();
            return log.Ran.SequenceEqual(expected) && simulator.PendingEvents == 0;
        });
    }
}
