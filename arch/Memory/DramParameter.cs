namespace HwSim.Arch.Memory;

/// <summary>One value of a DRAM model as the exported hardware headers carry it (name without prefix, unit, meaning).</summary>
public sealed record DramParameter(string Name, long Value, string Unit, string Description, bool Wide = false);
