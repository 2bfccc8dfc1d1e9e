using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Tests.Cli;
using HwSim.VerilogExport.Cosim;

namespace HwSim.Tests.Export;

/// <summary>The reference RTL under Icarus Verilog agrees bit- and cycle-exact with the detailed model's units.</summary>
public sealed class CosimTests : TemporaryDirectory
{
    private const int Vectors = 10_000;

    /// <summary>The random steps plus one step per codebook value of each integer datatype the PE runs.</summary>
    private static int StepsOf(AcceleratorSpec spec, int random) =>
        random + spec.Pe.WeightTypes.Select(HwSim.Numerics.Registry.WeightDatatypes.Get).Where(t => t.IsInteger).Sum(t => t.Values.Count);

    [Fact]
    public void TermSerialPeOfBitmodAgreesWithThePeDatapath()
    {
        var report = PeCosim.Run(Presets.Find("bitmod")!, Vectors, seed: 1, TempPath);
        Assert.True(report.Agrees, report.ToString());
        Assert.Equal(StepsOf(Presets.Find("bitmod")!, Vectors), report.Vectors);
    }

    [Fact]
    public void BitSerialPeAgreesWithThePeDatapath()
    {
        var bitmod = Presets.Find("bitmod")!;
        // A Stripes-style variant: two weight bits per cycle, INT8 activations and a 24-bit accumulator that wraps.
        var spec = bitmod with
        {
            Name = "bit-serial",
            Pe = new BitSerialPe(bitmod.Pe.DotProductWidth, bitmod.Pe.WeightTypes, BitsPerCycle: 2, ActivationType: "int8", AccumulatorBits: 24),
        };
        var report = PeCosim.Run(spec, Vectors, seed: 2, TempPath);
        Assert.True(report.Agrees, report.ToString());
    }

    [Fact]
    public void BitParallelPeOfAntAgreesWithThePeDatapath()
    {
        var report = PeCosim.Run(Presets.Find("ant")!, 2_000, seed: 3, TempPath);
        Assert.True(report.Agrees, report.ToString());
    }

    [Fact]
    public void OvpPairDecoderOfOliveAgreesWithTheDecoderUnit()
    {
        var report = OvpDecoderCosim.Run(Presets.Find("olive")!, Vectors, seed: 4, TempPath);
        Assert.True(report.Agrees, report.ToString());
        Assert.Equal(Vectors, report.Vectors);
    }

    [Fact]
    public void ADisagreeingDesignIsCaught()
    {
        // The same vectors through RTL built for another design must disagree: the comparison is not vacuous.
        var bitmod = Presets.Find("bitmod")!;
        var narrowAccumulator = bitmod with { Pe = bitmod.Pe with { AccumulatorBits = 12 } };
        var twoTermsPerCycle = bitmod with { Pe = (TermSerialPe)bitmod.Pe with { TermsPerCycle = 2 } };
        var values = PeCosim.RunAgainst(narrowAccumulator, bitmod, 300, seed: 5, TempPath);
        var cycles = PeCosim.RunAgainst(twoTermsPerCycle, bitmod, 300, seed: 6, TempPath);
        Assert.True(values.ValueMismatches > 250, values.ToString());
        Assert.True(cycles.CycleMismatches > 250, cycles.ToString());
        Assert.Equal(0, cycles.ValueMismatches);
    }
}
