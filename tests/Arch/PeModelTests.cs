using HwSim.Arch.Detailed;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch;

public class PeModelTests
{
    private static IEnumerable<WeightDatatype> IntegerDatatypes =>
        WeightDatatypes.Names.Select(WeightDatatypes.Get).Where(d => d.IsInteger);

    private static IEnumerable<PeSpec> SerialPes()
    {
        foreach (int bits in new[] { 1, 2, 3, 4, 8 }) yield return new BitSerialPe(1, ["int8"], BitsPerCycle: bits);
        foreach (int terms in new[] { 1, 2, 3 }) yield return new TermSerialPe(1, ["int8"], TermsPerCycle: terms);
    }

    [Fact]
    public void KindsKeepTheirHeaderIds()
    {
        // PE_KIND ids are part of the header format (append-only).
        Assert.Equal(["bitParallel", "bitSerial", "termSerial"], NamedModels.Of<PeSpec>().Select(m => m.Name));
        Assert.Equal([0, 1, 2], NamedModels.Of<PeSpec>().Select(m => m.StableId));
    }

    [Fact]
    public void EveryKindHasAReference()
    {
        Assert.Equal(NamedModels.Of<PeSpec>().Select(m => m.Type), PeSpec.References().Select(p => p.GetType()));
        Assert.Equal(8, PeSpec.References()[1].CyclesPerStep(WeightDatatypes.Get("int8")));
    }

    [Fact]
    public void TheDatapathsScheduleEqualsTheClosedFormForEveryKindAndDatatype()
    {
        // Two derivations: the datapath runs its digit / term loop on every value of the datatype; the closed form
        // takes the datatype's two's-complement width or largest non-adjacent-form weight.
        foreach (var pe in SerialPes().Append(new BitParallelPe(1, ["int8"])))
            foreach (var datatype in IntegerDatatypes)
                Assert.True(new PeDatapath(pe, datatype).CyclesPerStep == pe.CyclesPerStep(datatype),
                    $"{pe.Model.Name} {pe}: {datatype.Name}: datapath {new PeDatapath(pe, datatype).CyclesPerStep}, closed form {pe.CyclesPerStep(datatype)}");
    }

    [Fact]
    public void TheScheduleIsTightOverEveryCodebookValue()
    {
        // With the schedule every value multiplies exactly; one cycle fewer gets some value of the datatype wrong.
        long[] activations = [1, -3, 127, -128];
        foreach (var pe in SerialPes())
        {
            var arithmetic = pe.Arithmetic();
            foreach (var datatype in IntegerDatatypes)
            {
                int cycles = pe.CyclesPerStep(datatype);
                foreach (long w in datatype.Values)
                    foreach (long a in activations)
                        Assert.Equal(a * w, arithmetic.Dot([a], [w], cycles));
                if (cycles == 1) continue;
                bool wrong = datatype.Values.Any(w => arithmetic.Dot([1], [w], cycles - 1) != w);
                Assert.True(wrong, $"{pe}: {datatype.Name} multiplies exactly in {cycles - 1} cycles, so {cycles} is not tight");
            }
        }
    }

    [Fact]
    public void KnownSchedules()
    {
        // Stripes: an 8-bit weight at 1 bit per cycle takes 8 cycles, at 3 bits 3; BitMoD Sec. IV: INT8 takes 4
        // terms, INT6 3, FP4 / FP3 2 at one term per cycle.
        var int8 = WeightDatatypes.Get("int8");
        Assert.Equal(8, new PeDatapath(new BitSerialPe(1, ["int8"], 1), int8).CyclesPerStep);
        Assert.Equal(3, new PeDatapath(new BitSerialPe(1, ["int8"], 3), int8).CyclesPerStep);
        var bitmod = new TermSerialPe(4, ["int8"], 1);
        Assert.Equal(4, new PeDatapath(bitmod, int8).CyclesPerStep);
        Assert.Equal(3, new PeDatapath(bitmod, WeightDatatypes.Get("int6")).CyclesPerStep);
        Assert.Equal(2, new PeDatapath(bitmod, WeightDatatypes.Get("bitmod4")).CyclesPerStep);
        Assert.Equal(2, new PeDatapath(bitmod, WeightDatatypes.Get("bitmod3")).CyclesPerStep);
    }

    [Theory]
    [InlineData("{\"kind\":\"bitSerial\",\"dotProductWidth\":2,\"weightTypes\":[\"int8\"],\"bitsPerCycle\":2}", "bitSerial")]
    [InlineData("{\"dotProductWidth\":2,\"weightTypes\":[\"int8\"],\"termsPerCycle\":1,\"kind\":\"termSerial\"}", "termSerial")]
    [InlineData("{\"kind\":\"bitParallel\",\"dotProductWidth\":1,\"weightTypes\":[\"fp16\"]}", "bitParallel")]
    public void EachKindReadsItsOwnFields(string pe, string kind)
    {
        var spec = AcceleratorSpecJson.Read(WithPe(pe));
        Assert.Equal(kind, spec.Pe.Model.Name);
        Assert.Equal(AcceleratorSpecJson.Write(spec), AcceleratorSpecJson.Write(AcceleratorSpecJson.Read(AcceleratorSpecJson.Write(spec))));
    }

    [Theory]
    [InlineData("{\"kind\":\"bitParallel\",\"dotProductWidth\":1,\"weightTypes\":[\"int8\"],\"bitsPerCycle\":2}", "pe.bitsPerCycle: not read by the 'bitParallel' model")]
    [InlineData("{\"kind\":\"termSerial\",\"dotProductWidth\":1,\"weightTypes\":[\"int8\"],\"termsPerCycle\":1,\"bitsPerCycle\":2}", "pe.bitsPerCycle: not read by the 'termSerial' model")]
    [InlineData("{\"kind\":\"bitSerial\",\"dotProductWidth\":1,\"weightTypes\":[\"int8\"]}", "bitsPerCycle")]
    [InlineData("{\"kind\":\"warp\",\"dotProductWidth\":1,\"weightTypes\":[\"int8\"]}", "pe.kind: unknown 'warp' (expected one of bitParallel, bitSerial, termSerial)")]
    [InlineData("{\"dotProductWidth\":1,\"weightTypes\":[\"int8\"]}", "pe.kind: missing (expected one of bitParallel, bitSerial, termSerial)")]
    [InlineData("{\"kind\":\"bitSerial\",\"dotProductWidth\":1,\"weightTypes\":[\"int8\"],\"bitsPerCycle\":17}", "pe.bitsPerCycle: a bitSerial PE needs 1 .. 16 bits per cycle (got 17)")]
    [InlineData("{\"kind\":\"termSerial\",\"dotProductWidth\":1,\"weightTypes\":[\"fp16\"],\"termsPerCycle\":1}", "pe.weightTypes[0]: 'fp16' is floating point (")]
    public void FieldsOfOtherKindsAndBadKindsAreRejectedInOneLine(string pe, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(WithPe(pe), "mine.json"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("mine.json: ", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    /// <summary>The int8-systolic preset with its PE replaced (and its default weights and KV cache set to the PE's first type).</summary>
    private static string WithPe(string pe)
    {
        var preset = Presets.Find("int8-systolic")!;
        string type = System.Text.Json.JsonDocument.Parse(pe).RootElement.GetProperty("weightTypes")[0].GetString()!;
        var node = System.Text.Json.Nodes.JsonNode.Parse(AcceleratorSpecJson.Write(preset))!;
        node["pe"] = System.Text.Json.Nodes.JsonNode.Parse(pe);
        node["defaultWeights"] = type;
        node["kvCache"] = type;
        return node.ToJsonString();
    }
}
