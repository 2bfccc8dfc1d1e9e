using System.Globalization;
using System.Text;
using HwSim.Arch.Detailed;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.VerilogExport.Headers;
using HwSim.VerilogExport.Rtl;

namespace HwSim.VerilogExport.Cosim;

/// <summary>
/// Co-simulates the reference PE (hwsim_pe.sv under Icarus Verilog, parameterized by the design's exported
/// package) against the detailed model's <see cref="PeDatapath"/> over every integer weight datatype the PE runs:
/// <list type="bullet">
/// <item>random dot-product steps (weights drawn from the datatype's value set, activations uniform over the
/// activation port), compared bit-exact on the result (modulo 2^accumulator bits, as the hardware wraps) and on the
/// cycles: the RTL stops when its datapath has consumed its operands, so its measured cycles are compared with the
/// cycles the model's digit / term loop spends on the same weights (<see cref="PeDatapath.WorkCycles"/>);</item>
/// <item>one step per codebook value (every lane holding that value): the longest step the RTL measures over the
/// datatype must equal both its exported fixed schedule (PE_CYCLES_PER_STEP) and the model's schedule
/// (<see cref="PeDatapath.CyclesPerStep"/>), so a schedule one cycle too long or too short is caught.</item>
/// </list>
/// </summary>
public static class PeCosim
{
    public static CosimReport Run(AcceleratorSpec spec, int vectors, int seed, string workDirectory) =>
        RunAgainst(spec, spec, vectors, seed, workDirectory);

    /// <summary>
    /// Runs the RTL exported for <paramref name="rtlSpec"/> against the model of <paramref name="modelSpec"/>; with
    /// two different designs this shows the comparison detects a disagreement.
    /// </summary>
    public static CosimReport RunAgainst(AcceleratorSpec rtlSpec, AcceleratorSpec modelSpec, int vectors, int seed, string workDirectory)
    {
        var spec = modelSpec;
        var export = RtlExporter.Export(rtlSpec);
        var values = export.Model.Values();
        int activationBits = (int)values["PE_ACTIVATION_BITS"][0];
        var rtlSchedules = values["PE_CYCLES_PER_STEP"];
        int accumulatorBits = spec.Pe.AccumulatorBits;
        var types = spec.Pe.WeightTypes.Select(WeightDatatypes.Get).Where(t => t.IsInteger).ToArray();
        if (types.Length == 0) throw new InvalidOperationException($"{spec.Name}: the PE runs no integer weight datatype to co-simulate");
        var datapaths = types.Select(t => new PeDatapath(spec.Pe, t)).ToArray();

        var random = new Random(seed);
        int width = spec.Pe.DotProductWidth;
        long activationMin = -(1L << (activationBits - 1)), activationMax = 1L << (activationBits - 1);
        long[] RandomActivations() => [.. Enumerable.Range(0, width).Select(_ => random.NextInt64(activationMin, activationMax))];
        var steps = new List<(int Type, long[] Activations, long[] Weights)>();
        for (int v = 0; v < vectors; v++)
        {
            int t = random.Next(types.Length);
            steps.Add((t, RandomActivations(), [.. Enumerable.Range(0, width).Select(_ => types[t].Values[random.Next(types[t].Values.Count)])]));
        }
        for (int t = 0; t < types.Length; t++)
            foreach (long w in types[t].Values) steps.Add((t, RandomActivations(), [.. Enumerable.Repeat(w, width)]));

        var text = new StringBuilder().Append(steps.Count).Append('\n');
        foreach (var (t, activations, weights) in steps)
        {
            text.Append(StableIds.WeightType(types[t].Name));
            foreach (long a in activations) text.Append(' ').Append(a.ToString(CultureInfo.InvariantCulture));
            foreach (long w in weights) text.Append(' ').Append(w.ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        Directory.CreateDirectory(workDirectory);
        File.WriteAllText(Path.Combine(workDirectory, "pe_vectors.txt"), text.ToString());
        IcarusRun.CompileAndRun(export, workDirectory, ReferenceRtl.Pe, ReferenceRtl.PeTestbench);

        var lines = File.ReadAllLines(Path.Combine(workDirectory, "pe_results.txt"));
        if (lines.Length != steps.Count) throw new InvalidOperationException($"the PE testbench wrote {lines.Length} results for {steps.Count} vectors");
        int valueMismatches = 0, cycleMismatches = 0;
        var longestStep = new int[types.Length];
        var first = new List<string>();
        for (int v = 0; v < steps.Count; v++)
        {
            var (t, activations, weights) = steps[v];
            var fields = lines[v].Split(' ');
            long result = long.Parse(fields[0], CultureInfo.InvariantCulture);
            int cycles = int.Parse(fields[1], CultureInfo.InvariantCulture);
            bool overflow = fields[2] == "1";
            var datapath = datapaths[t];
            long expected = Wrap(datapath.DotStep(activations, weights), accumulatorBits);
            int modelCycles = datapath.WorkCycles(weights);
            longestStep[t] = Math.Max(longestStep[t], cycles);
            bool valueOk = result == expected && !overflow;
            bool cycleOk = cycles == modelCycles;
            if (!valueOk) valueMismatches++;
            if (!cycleOk) cycleMismatches++;
            if ((!valueOk || !cycleOk) && first.Count < 5)
                first.Add($"vector {v} ({types[t].Name}, a=[{string.Join(',', activations)}], w=[{string.Join(',', weights)}]): " +
                    $"RTL {result} in {cycles} cycles{(overflow ? " over its schedule" : "")}, model {expected} in {modelCycles}");
        }

        int scheduleMismatches = 0;
        for (int t = 0; t < types.Length; t++)
        {
            long exported = rtlSchedules[StableIds.WeightType(types[t].Name)];
            if (exported == longestStep[t] && datapaths[t].CyclesPerStep == longestStep[t]) continue;
            scheduleMismatches++;
            first.Add($"{types[t].Name}: longest RTL step over the codebook {longestStep[t]} cycles, exported schedule {exported}, model schedule {datapaths[t].CyclesPerStep}");
        }
        return new CosimReport("hwsim_pe", spec.Name, steps.Count, valueMismatches, cycleMismatches, first, scheduleMismatches);
    }

    /// <summary>The two's-complement value of the low <paramref name="bits"/> bits: what an accumulator of that width holds.</summary>
    public static long Wrap(long value, int bits) => bits >= 64 ? value : (value << (64 - bits)) >> (64 - bits);
}
