namespace HwSim.VerilogExport.Cosim;

/// <summary>
/// The outcome of one co-simulation: how many vectors ran, how many of them disagreed with the C# model in value
/// or in cycles, how many datatypes' fixed schedules disagreed with the longest step measured over the datatype's
/// values, and the first disagreements spelled out.
/// </summary>
public sealed record CosimReport(string Unit, string Design, int Vectors, int ValueMismatches, int CycleMismatches,
    IReadOnlyList<string> FirstMismatches, int ScheduleMismatches = 0)
{
    public bool Agrees => ValueMismatches == 0 && CycleMismatches == 0 && ScheduleMismatches == 0;

    public override string ToString() =>
        $"{Unit} on {Design}: {Vectors} vectors, {ValueMismatches} value, {CycleMismatches} cycle and {ScheduleMismatches} schedule mismatches" +
        (FirstMismatches.Count > 0 ? $"; first: {FirstMismatches[0]}" : "");
}
