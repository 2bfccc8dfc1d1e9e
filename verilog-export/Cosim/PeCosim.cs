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
/// package) against the detailed model's <see cref="PeDatapath"/>: random dot-product steps over every integer
/// weight datatype the PE runs (weights drawn from the datatype's value set, activations uniform over the
/// activation port), compared bit-exact on the result (modulo 2^accumulator bits, as the hardware wraps) and
/// cycle-exact on the step latency.
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
        int accumulatorBits = spec.Pe.AccumulatorBits;
        var types = spec.Pe.WeightTypes.Select(WeightDatatypes.Get).Where(t => t.IsInteger).ToArray();
        if (types.Length == 0) throw new InvalidOperationException($"{spec.Name}: the PE runs no integer weight datatype to co-simulate");
        var datapaths = types.Select(t => new PeDatapath(spec.Pe, t)).ToArray();

        var random = new Random(seed);
        int width = spec.Pe.DotProductWidth;
        var chosen = new int[vectors];
        var activations = new long[vectors][];
        var weights = new long[vectors][];
        var text = new StringBuilder().Append(vectors).Append('\n');
        long activationMin = -(1L << (activationBits - 1)), activationMax = 1L << (activationBits - 1);
        for (int v = 0; v < vectors; v++)
        {
            int t = random.Next(types.Length);
            chosen[v] = t;
            activations[v] = [.. Enumerable.Range(0, width).Select(_ => random.NextInt64(activationMin, activationMax))];
            weights[v] = [.. Enumerable.Range(0, width).Select(_ => types[t].Values[random.Next(types[t].Values.Count)])];
            text.Append(StableIds.WeightType(types[t].Name));
            foreach (long a in activations[v]) text.Append(' ').Append(a.ToString(CultureInfo.InvariantCulture));
            foreach (long w in weights[v]) text.Append(' ').Append(w.ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        Directory.CreateDirectory(workDirectory);
        File.WriteAllText(Path.Combine(workDirectory, "pe_vectors.txt"), text.ToString());
        IcarusRun.CompileAndRun(export, workDirectory, ReferenceRtl.Pe, ReferenceRtl.PeTestbench);

        var lines = File.ReadAllLines(Path.Combine(workDirectory, "pe_results.txt"));
        if (lines.Length != vectors) throw new InvalidOperationException($"the PE testbench wrote {lines.Length} results for {vectors} vectors");
        int valueMismatches = 0, cycleMismatches = 0;
        var first = new List<string>();
        for (int v = 0; v < vectors; v++)
        {
            var fields = lines[v].Split(' ');
            long result = long.Parse(fields[0], CultureInfo.InvariantCulture);
            int cycles = int.Parse(fields[1], CultureInfo.InvariantCulture);
            bool overflow = fields[2] == "1";
            var datapath = datapaths[chosen[v]];
            long expected = Wrap(datapath.DotStep(activations[v], weights[v]), accumulatorBits);
            bool valueOk = result == expected && !overflow;
            bool cycleOk = cycles == datapath.CyclesPerStep;
            if (!valueOk) valueMismatches++;
            if (!cycleOk) cycleMismatches++;
            if ((!valueOk || !cycleOk) && first.Count < 5)
                first.Add($"vector {v} ({types[chosen[v]].Name}, a=[{string.Join(',', activations[v])}], w=[{string.Join(',', weights[v])}]): " +
                    $"RTL {result} in {cycles} cycles{(overflow ? " with overflow" : "")}, model {expected} in {datapath.CyclesPerStep}");
        }
        return new CosimReport("hwsim_pe", spec.Name, vectors, valueMismatches, cycleMismatches, first);
    }

    /// <summary>The two's-complement value of the low <paramref name="bits"/> bits: what an accumulator of that width holds.</summary>
    public static long Wrap(long value, int bits) => bits >= 64 ? value : (value << (64 - bits)) >> (64 - bits);
}
