namespace HwSim.Sim.Kernel;

/// <summary>
/// Receives the events it scheduled. The argument is a caller-defined tag (a state code, an index) so that handlers
/// need no per-event allocation.
/// </summary>
public interface IEventHandler
{
    void OnEvent(long argument);
}
