namespace HwSim.Arch.Fast;

/// <summary>
/// One transaction of the fast model: load <see cref="LoadBytes"/> from DRAM into a buffer half, compute for
/// <see cref="ComputeCycles"/> on the array or the vector unit, store <see cref="StoreBytes"/> back.
/// <see cref="ReadsStoredOutputs"/>: the load includes activations an earlier op wrote to DRAM, so it waits for
/// those stores (read after write).
/// </summary>
public readonly record struct Tile(
    int Op,
    long LoadBytes,
    bool ReadsStoredOutputs,
    long ComputeCycles,
    long BusyPeCycles,
    long StoreBytes);
