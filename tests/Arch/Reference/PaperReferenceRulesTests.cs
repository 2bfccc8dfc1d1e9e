using HwSim.Arch.Reference;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch.Reference;

/// <summary>
/// The reference-number file's rules at both sides of every bound, with whole messages; the exact storage format a
/// fractional mean becomes (b + p/q bits: b bits per weight and p per group of q, checked against the fraction
/// reduced by hand); which rows a phase and a design select.
/// </summary>
public class PaperReferenceRulesTests
{
    private const string Speedup = """{"over": "ant", "designs": ["ant"], "average": 1.69, "discriminative": 1.72, "generative": 1.66, "source": "s"}""";

    private static PaperReference Read(string weightBits, string speedups = Speedup) =>
        PaperReference.Read($$"""{"weightBits": [{{weightBits}}], "speedups": [{{speedups}}]}""", "r.json");

    private static string Error(string weightBits, string speedups = Speedup) =>
        Assert.Throws<InvalidDataException>(() => Read(weightBits, speedups)).Message;

    private static string Bits(string bits, string model = "m") => $$"""{"family": "ant", "model": "{{model}}", "bits": {{bits}}, "source": "s"}""";

    private static string SpeedupRow(string average = "1", string discriminative = "1", string generative = "1", string over = "ant", string source = "s") =>
        $$"""{"over": "{{over}}", "designs": ["x"], "average": {{average}}, "discriminative": {{discriminative}}, "generative": {{generative}}, "source": "{{source}}"}""";

    [Fact]
    public void AFileHoldingNullSaysItIsNotReferenceNumbers() =>
        Assert.Equal("r.json: the file holds JSON null, not reference numbers",
            Assert.Throws<InvalidDataException>(() => PaperReference.Read("null", "r.json")).Message);

    [Theory]
    // b + p/q with p/q in lowest terms: 5.25 = 5 + 1/4, 3.125 = 3 + 1/8, 4.6 = 4 + 3/5, 2.05 = 2 + 1/20,
    // 1 + 1/65536 = 1.0000152587890625 (the largest group), whole numbers without groups, 1 and 64 at the bounds.
    [InlineData("5.25", 5, 1, 4)]
    [InlineData("3.125", 3, 1, 8)]
    [InlineData("4.6", 4, 3, 5)]
    [InlineData("2.05", 2, 1, 20)]
    [InlineData("1.0000152587890625", 1, 1, 65536)]
    [InlineData("7.50", 7, 1, 2)]
    [InlineData("1", 1, 0, 0)]
    [InlineData("64", 64, 0, 0)]
    [InlineData("63.5", 63, 1, 2)]
    public void AFractionalMeanIsAnExactStorageFormat(string bits, int whole, int perGroup, int groupSize)
    {
        var format = Read(Bits(bits)).WeightBitsFor("ant", "m", Phase.Decode)!;
        Assert.Equal((whole, perGroup, groupSize), (format.ElementBits, format.GroupOverheadBits, format.GroupSize));
        Assert.Equal($"ant-paper-mean-{bits}b", format.Name);
    }

    [Theory]
    [InlineData("0.999")]
    [InlineData("64.5")]
    [InlineData("65")]
    [InlineData("-5")]
    // 1 + 1/131072: the group would be twice the largest.
    [InlineData("1.00000762939453125")]
    // 19 decimal places: the fraction's denominator would pass 10^18 (and 64 bits) before it is whole.
    [InlineData("1.0000000000000000001")]
    [InlineData("2.0000000000000000000000000001")]
    public void BitsOutsideTheExactFormsAreRejected(string bits)
    {
        Assert.Equal($"r.json: weightBits[0].bits: must be 1 .. 64 bits, a whole number plus a fraction with denominator at most 65536 (got {bits})",
            Error(Bits(bits)));
    }

    [Fact]
    public void RowMessages()
    {
        Assert.Equal("r.json: weightBits[0].family: unknown datatype family 'nope' (known: ant, bitmod, flint, fp, int, minifloat, mx, nvfp4, ovp, pot)",
            Error("""{"family": "nope", "model": "m", "bits": 5, "source": "s"}"""));
        Assert.Equal("r.json: weightBits[1].model: must not be empty", Error(Bits("5") + "," + """{"family": "ovp", "model": " ", "bits": 5, "source": "s"}"""));
        Assert.Equal("r.json: weightBits[0].source: every number needs its source", Error("""{"family": "ant", "model": "m", "bits": 5, "source": "  "}"""));
        Assert.Equal("r.json: weightBits[0].phase: must be prefill or decode, or absent for both (got standalone)",
            Error("""{"family": "ant", "model": "m", "bits": 5, "source": "s", "phase": "standalone"}"""));
        // A row for both phases and one for prefill overlap; rows for different families, models or phases do not.
        Assert.Equal("r.json: weightBits[1]: ant on m has two values for prefill",
            Error(Bits("5") + "," + """{"family": "ant", "model": "m", "bits": 4, "source": "s", "phase": "prefill"}"""));
        Assert.Equal("r.json: weightBits[1]: ant on m has two values for prefill", Error(Bits("5") + "," + Bits("4")));
        var distinct = Read(Bits("5") + "," + Bits("4", "n") + "," + """{"family": "ovp", "model": "m", "bits": 4.5, "source": "s"}""");
        Assert.Equal((5.0, 4.0, 4.5), (distinct.WeightBitsFor("ant", "m", Phase.Prefill)!.EffectiveBits,
            distinct.WeightBitsFor("ant", "n", Phase.Prefill)!.EffectiveBits, distinct.WeightBitsFor("ovp", "m", Phase.Prefill)!.EffectiveBits));
    }

    [Fact]
    public void SpeedupMessages()
    {
        Assert.Equal("r.json: speedups[0].over: must not be empty", Error(Bits("5"), SpeedupRow(over: " ")));
        Assert.Equal("r.json: speedups[0].average: must be positive (got -1)", Error(Bits("5"), SpeedupRow(average: "-1")));
        Assert.Equal("r.json: speedups[0].average: must be positive (got 0)", Error(Bits("5"), SpeedupRow(average: "0")));
        Assert.Equal("r.json: speedups[0].discriminative: must be positive (got 0)", Error(Bits("5"), SpeedupRow(discriminative: "0")));
        Assert.Equal("r.json: speedups[0].discriminative: must be positive (got -0.5)", Error(Bits("5"), SpeedupRow(discriminative: "-0.5")));
        Assert.Equal("r.json: speedups[0].generative: must be positive (got 0)", Error(Bits("5"), SpeedupRow(generative: "0")));
        Assert.Equal("r.json: speedups[1].source: every number needs its source", Error(Bits("5"), Speedup + "," + SpeedupRow(source: "")));
        Assert.Equal("r.json: speedups[1].designs: 'ant' has two rows",
            Error(Bits("5"), Speedup + "," + """{"over": "b", "designs": ["y", "ant"], "average": 1, "discriminative": 1, "generative": 1, "source": "s"}"""));
        // The smallest positive values pass.
        var reference = Read(Bits("5"), SpeedupRow("0.01", "0.01", "0.01"));
        Assert.Equal("0.01x (disc. 0.01x, gen. 0.01x)", reference.SpeedupOver("x")!.Text);
    }

    [Fact]
    public void RowsAreSelectedByFamilyModelPhaseAndDesign()
    {
        var reference = Read(
            """{"family": "ant", "model": "m", "bits": 5, "source": "s", "phase": "decode"}, {"family": "ant", "model": "m", "bits": 6, "source": "s", "phase": "prefill"}""",
            Speedup + "," + """{"over": "olive", "designs": ["olive", "olive-gen"], "average": 1.48, "discriminative": 1.56, "generative": 1.39, "source": "s"}""");
        Assert.Equal(5.0, reference.WeightBitsFor("ant", "m", Phase.Decode)!.EffectiveBits);
        Assert.Equal(6.0, reference.WeightBitsFor("ant", "m", Phase.Prefill)!.EffectiveBits);
        // Standalone ops run the prefill weights.
        Assert.Equal(6.0, reference.WeightBitsFor("ant", "m", Phase.Standalone)!.EffectiveBits);
        Assert.Null(reference.WeightBitsFor("ovp", "m", Phase.Decode));
        Assert.Null(reference.WeightBitsFor("ant", "n", Phase.Decode));
        Assert.Equal("olive", reference.SpeedupOver("olive-gen")!.Over);
        Assert.Equal("ant", reference.SpeedupOver("ant")!.Over);
        Assert.Null(reference.SpeedupOver("olive-"));
        var row = new WeightBitsRow("ant", "m", 5, "s", Phase.Decode);
        Assert.True(row.Covers(Phase.Decode));
        Assert.False(row.Covers(Phase.Prefill));
        Assert.True((row with { Phase = null }).Covers(Phase.Prefill));
        // "1.69x (disc. 1.72x, gen. 1.66x)": two decimals, rounded, in the invariant culture.
        Assert.Equal("2.00x (disc. 0.99x, gen. 1.01x)", new SpeedupRow("a", ["a"], 1.995m, 0.994m, 1.005m, "s").Text);
    }
}
