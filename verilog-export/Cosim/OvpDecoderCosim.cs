using System.Globalization;
using System.Text;
using HwSim.Arch.Datapath;
using HwSim.Arch.Spec;
using HwSim.Numerics.DataTypes;
using HwSim.VerilogExport.Rtl;

namespace HwSim.VerilogExport.Cosim;

/// <summary>
/// Co-simulates the reference OVP pair decoder (hwsim_ovp_pair_decoder.sv under Icarus Verilog) against the
/// detailed model's <see cref="OvpPairDecoderUnit"/>: a stream of uniformly random 4-bit code pairs (so every pair,
/// including the ones no encoder emits, recurs), each with a random normal type (int or flint, the per-tensor choice
/// of ovp4-auto), with random idle cycles, compared bit-exact on both values and on
/// the error flag (the model rejects exactly those pairs), and cycle-exact on the latency
/// <see cref="OvpPairDecoderUnit.LatencyCycles"/>.
/// </summary>
public static class OvpDecoderCosim
{
    public static CosimReport Run(AcceleratorSpec spec, int pairs, int seed, string workDirectory)
    {
        var export = RtlExporter.Export(spec);
        if (!export.ReferenceRtl.Any(f => f.Name == ReferenceRtl.OvpPairDecoder))
            throw new InvalidOperationException($"{spec.Name}: the PE does not run ovp4, so no OVP pair decoder is exported");
        OvpPairDecoderUnit[] decoders = [new(4, OvpNormalKind.Int), new(4, OvpNormalKind.Flint)];
        var random = new Random(seed);

        // Each line is one clock cycle: about one cycle in eight idles, so latency is checked across gaps.
        var inputs = new List<(int Cycle, int Code0, int Code1, int Flint)>();
        var text = new StringBuilder();
        int cycles = 0;
        var lines = new StringBuilder();
        while (inputs.Count < pairs)
        {
            bool valid = random.Next(8) != 0;
            int code0 = random.Next(16), code1 = random.Next(16), flint = random.Next(2);
            if (valid) inputs.Add((cycles, code0, code1, flint));
            lines.Append(valid ? 1 : 0).Append(' ').Append(code0).Append(' ').Append(code1).Append(' ').Append(flint).Append('\n');
            cycles++;
        }
        text.Append(cycles).Append('\n').Append(lines);
        Directory.CreateDirectory(workDirectory);
        File.WriteAllText(Path.Combine(workDirectory, "ovp_vectors.txt"), text.ToString());
        IcarusRun.CompileAndRun(export, workDirectory, ReferenceRtl.OvpPairDecoder, ReferenceRtl.OvpPairDecoderTestbench);

        var outputs = File.ReadAllLines(Path.Combine(workDirectory, "ovp_results.txt"))
            .Select(line => line.Split(' ').Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        int valueMismatches = 0, cycleMismatches = 0;
        var first = new List<string>();
        if (outputs.Length != inputs.Count)
        {
            cycleMismatches = Math.Abs(outputs.Length - inputs.Count);
            first.Add($"{inputs.Count} pairs went in, {outputs.Length} came out");
        }
        for (int i = 0; i < Math.Min(outputs.Length, inputs.Count); i++)
        {
            var (cycle, code0, code1, flint) = inputs[i];
            var output = outputs[i];
            var (expected0, expected1, expectedError) = Model(decoders[flint], code0, code1);
            bool valueOk = expectedError ? output[3] == 1 : output[3] == 0 && output[1] == expected0 && output[2] == expected1;
            bool cycleOk = output[0] - cycle == OvpPairDecoderUnit.LatencyCycles;
            if (!valueOk) valueMismatches++;
            if (!cycleOk) cycleMismatches++;
            if ((!valueOk || !cycleOk) && first.Count < 5)
                first.Add($"pair {i} (codes {code0},{code1}, {(flint == 1 ? "flint" : "int")} normals, in cycle {cycle}): RTL ({output[1]}, {output[2]}, error {output[3]}) in cycle {output[0]}, " +
                    $"model ({expected0}, {expected1}{(expectedError ? ", rejected" : "")}) after {OvpPairDecoderUnit.LatencyCycles}");
        }
        return new CosimReport("hwsim_ovp_pair_decoder", spec.Name, inputs.Count, valueMismatches, cycleMismatches, first);
    }

    private static (long, long, bool) Model(OvpPairDecoderUnit decoder, int code0, int code1)
    {
        var values = new long[2];
        try
        {
            decoder.DecodeRow(new EncodedWeights(1, 2, [(byte)code0, (byte)code1]), 0, values);
            return (values[0], values[1], false);
        }
        catch (InvalidDataException)
        {
            return (0, 0, true);
        }
    }
}
