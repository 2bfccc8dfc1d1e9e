namespace HwSim.Bench;

public class KernelBenchmarks
{
}
