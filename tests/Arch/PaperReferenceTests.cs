using HwSim.Arch.Reference;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch;

public class PaperReferenceTests
{
    [Fact]
    public void TheBuiltInNumbersAreTheAuthorsSimulators()
    {
        var paper = PaperReference.BitMoD;
        // abdelfattah-lab/BitMoD-HPCA-25 @e445a5f bitmod_sim/test_ant.py and test_olive.py w_prec.
        var ant = new Dictionary<string, double> { ["opt-1.3b"] = 5, ["phi-2"] = 5, ["yi-6b"] = 5.25, ["llama-2-7b"] = 5, ["llama-2-13b"] = 4, ["llama-3-8b"] = 5 };
        var olive = new Dictionary<string, double> { ["opt-1.3b"] = 4, ["phi-2"] = 4, ["yi-6b"] = 4, ["llama-2-7b"] = 4, ["llama-2-13b"] = 4, ["llama-3-8b"] = 4.5 };
        foreach (var phase in (Phase[])[Phase.Prefill, Phase.Decode])
        {
            foreach (var (model, bits) in ant) Assert.Equal(bits, paper.WeightBitsFor("ant", model, phase)!.EffectiveBits);
            foreach (var (model, bits) in olive) Assert.Equal(bits, paper.WeightBitsFor("ovp", model, phase)!.EffectiveBits);
        }
        Assert.Null(paper.WeightBitsFor("ant", "mistral-7b", Phase.Decode));
        Assert.Null(paper.WeightBitsFor("bitmod", "llama-2-7b", Phase.Decode));
        // 5.25 bits is exact: 5 bits per weight plus 1 bit per 4 weights, so 1000 weights take 5250 bits.
        Assert.Equal(5250 / 8 + 1, paper.WeightBitsFor("ant", "yi-6b", Phase.Prefill)!.Bytes(1000));
        // BitMoD (HPCA 2025) Sec. V.
        Assert.Equal("1.69x (disc. 1.72x, gen. 1.66x)", paper.SpeedupOver("ant-gen")!.Text);
        Assert.Equal("1.48x (disc. 1.56x, gen. 1.39x)", paper.SpeedupOver("olive")!.Text);
        Assert.Null(paper.SpeedupOver("bitmod"));
    }

    [Fact]
    public void ARowMayHoldForOnePhase()
    {
        var reference = PaperReference.Read("""
            {"weightBits": [{"family": "ant", "model": "m", "bits": 4.5, "phase": "prefill", "source": "s"},
                            {"family": "ant", "model": "m", "bits": 3.125, "phase": "decode", "source": "s"}], "speedups": []}
            """, "r.json");
        Assert.Equal(4.5, reference.WeightBitsFor("ant", "m", Phase.Prefill)!.EffectiveBits);
        Assert.Equal(3.125, reference.WeightBitsFor("ant", "m", Phase.Decode)!.EffectiveBits);
        Assert.Equal(4.5, reference.WeightBitsFor("ant", "m", Phase.Standalone)!.EffectiveBits);
    }

    private const string Row = """{"family": "ant", "model": "m", "bits": 5, "source": "s"}""";
    private const string Speedup = """{"over": "ant", "designs": ["ant"], "average": 1.69, "discriminative": 1.72, "generative": 1.66, "source": "s"}""";

    [Theory]
    [InlineData("""{"family": "ant", "model": "m", "bits": 5, "source": ""}""", Speedup, "weightBits[0].source: every number needs its source")]
    [InlineData("""{"family": "ant", "model": "m", "bits": 5}""", Speedup, "weightBits[0]: ")]
    [InlineData("""{"family": "nope", "model": "m", "bits": 5, "source": "s"}""", Speedup, "weightBits[0].family: unknown datatype family 'nope'")]
    [InlineData("""{"family": "ant", "model": "m", "bits": 0.5, "source": "s"}""", Speedup, "weightBits[0].bits: must be 1 .. 64 bits")]
    [InlineData("""{"family": "ant", "model": "m", "bits": 4.0000001, "source": "s"}""", Speedup, "weightBits[0].bits: must be 1 .. 64 bits, a whole number plus a fraction with denominator at most 65536")]
    [InlineData("""{"family": "ant", "model": "m", "bits": 5, "source": "s", "phase": "standalone"}""", Speedup, "weightBits[0].phase: must be prefill or decode")]
    [InlineData(Row + "," + """{"family": "ant", "model": "m", "bits": 4, "source": "s", "phase": "decode"}""", Speedup, "weightBits[1]: ant on m has two values for decode")]
    [InlineData(Row, """{"over": "ant", "designs": ["ant"], "average": 0, "discriminative": 1.72, "generative": 1.66, "source": "s"}""", "speedups[0].average: must be positive")]
    [InlineData(Row, """{"over": "ant", "designs": [], "average": 1, "discriminative": 1.72, "generative": 1.66, "source": "s"}""", "speedups[0].designs: must name at least one design")]
    [InlineData(Row, Speedup + "," + Speedup, "speedups[1].designs: 'ant' has two rows")]
    [InlineData(Row, """{"over": "ant", "designs": ["ant"], "average": 1, "discriminative": 1.72, "generative": 1.66, "source": "s", "note": 1}""", "speedups[0].note: ")]
    public void BadRowsAreRejectedNamingTheField(string weightBits, string speedups, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            PaperReference.Read($$"""{"weightBits": [{{weightBits}}], "speedups": [{{speedups}}]}""", "r.json"));
        Assert.StartsWith("r.json: " + expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }
}
