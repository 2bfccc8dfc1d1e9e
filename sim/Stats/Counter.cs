namespace HwSim.Sim.Stats;

/// <summary>A named event count.</summary>
public sealed class Counter(string name)
{
    public string Name { get; } = name;
    public long Value { get; private set; }

    public void Increment() => Value++;

    public void Add(long amount) => Value = checked(Value + amount);
}
