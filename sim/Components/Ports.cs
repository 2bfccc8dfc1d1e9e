namespace HwSim.Sim.Components;

/// <summary>A named connection point of a component that carries messages of one type.</summary>
public abstract class Port(Component owner, string name, Type messageType)
{
    public Component Owner { get; } = owner;
    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("port name is empty") : name;
    public Type MessageType { get; } = messageType;
    public string Path => $"{Owner.Name}.{Name}";
    public abstract bool IsConnected { get; }
}

/// <summary>Receives messages delivered by a link and hands them to the owner's handler.</summary>
public sealed class InPort<T>(Component owner, string name, Action<T> onReceive) : Port(owner, name, typeof(T))
{
    internal bool HasLink { get; set; }
    public override bool IsConnected => HasLink;
    public long MessagesReceived { get; private set; }

    internal void Deliver(T message)
    {
        MessagesReceived++;
        onReceive(message);
    }
}

/// <summary>Sends messages into the link it is connected to.</summary>
public sealed class OutPort<T>(Component owner, string name) : Port(owner, name, typeof(T))
{
    internal Link<T>? Link { get; set; }
    public override bool IsConnected => Link is not null;
    public long MessagesSent { get; private set; }

    public void Send(T message)
    {
        var link = Link ?? throw new InvalidOperationException($"port '{Path}' is not connected");
        MessagesSent++;
        link.Carry(message);
    }
}
