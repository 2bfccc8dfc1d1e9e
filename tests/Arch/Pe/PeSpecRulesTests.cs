using HwSim.Arch.Pe;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch.Pe;

/// <summary>
/// The PE kinds' own rules, each against hand-derived values: validation at both sides of every bound with whole
/// messages, operand widths, closed-form cycles per step from the datatype's width or terms, header parameters per
/// kind, and the datapaths' arithmetic on vectors of several elements (a dot product summed over the elements, each
/// formed digit by digit or term by term), including schedules too short to be exact.
/// </summary>
public class PeSpecRulesTests
{
    [Theory]
    [InlineData(1, 8, "fp16", null)]
    [InlineData(64, 64, "int16", null)]
    [InlineData(0, 32, "fp16", "pe.dotProductWidth: must be in 1 .. 64 (got 0)")]
    [InlineData(65, 32, "fp16", "pe.dotProductWidth: must be in 1 .. 64 (got 65)")]
    [InlineData(4, 7, "fp16", "pe.accumulatorBits: must be in 8 .. 64 (got 7)")]
    [InlineData(4, 65, "fp16", "pe.accumulatorBits: must be in 8 .. 64 (got 65)")]
    [InlineData(4, 32, "fp8", "pe.activationType: unknown 'fp8' (expected one of fp16, bf16, int8, int16)")]
    public void CommonFieldsAtTheirBounds(int width, int accumulator, string activation, string? expected)
    {
        Assert.Equal(expected, new BitParallelPe(width, ["int8"], activation, accumulator).Validate());
        Assert.Equal(expected, new TermSerialPe(width, ["int8"], 1, activation, accumulator).Validate());
    }

    [Fact]
    public void KindFieldsAndWeightTypes()
    {
        Assert.Null(new BitSerialPe(1, ["int8"], 1).Validate());
        Assert.Null(new BitSerialPe(1, ["int8"], 16).Validate());
        Assert.Equal("pe.bitsPerCycle: a bitSerial PE needs 1 .. 16 bits per cycle (got 0)", new BitSerialPe(1, ["int8"], 0).Validate());
        Assert.Equal("pe.bitsPerCycle: a bitSerial PE needs 1 .. 16 bits per cycle (got 17)", new BitSerialPe(1, ["int8"], 17).Validate());
        Assert.Null(new TermSerialPe(1, ["int8"], 16).Validate());
        Assert.Equal("pe.termsPerCycle: a termSerial PE needs 1 .. 16 terms per cycle (got 0)", new TermSerialPe(1, ["int8"], 0).Validate());
        Assert.Equal("pe.termsPerCycle: a termSerial PE needs 1 .. 16 terms per cycle (got 17)", new TermSerialPe(1, ["int8"], 17).Validate());
        // The kind's field is checked before the weight types.
        Assert.Equal("pe.termsPerCycle: a termSerial PE needs 1 .. 16 terms per cycle (got 0)", new TermSerialPe(1, [], 0).Validate());
        Assert.Equal("pe.weightTypes: must name at least one weight datatype", new BitParallelPe(1, []).Validate());
        Assert.Equal("pe.weightTypes: must name at least one weight datatype", new BitParallelPe(1, null!).Validate());
        Assert.StartsWith("pe.weightTypes[1]: unknown datatype 'nonesuch' (known: ", new BitParallelPe(1, ["int8", "nonesuch"]).Validate());
        string fp16Reason = WeightDatatypes.Get("fp16").NotIntegerReason!;
        Assert.Equal($"pe.weightTypes[2]: 'fp16' is floating point ({fp16Reason}); a bitSerial PE walks the two's-complement digits of integer weights",
            new BitSerialPe(1, ["int4", "int8", "fp16"], 2).Validate());
        Assert.Equal($"pe.weightTypes[0]: 'fp16' is floating point ({fp16Reason}); a termSerial PE needs weights that are sums of signed powers of two",
            new TermSerialPe(1, ["fp16"], 1).Validate());
        Assert.Null(new BitParallelPe(1, ["fp16", "int8"]).Validate());
    }

    [Theory]
    [InlineData("fp16", 16, true)]
    [InlineData("bf16", 16, true)]
    [InlineData("int8", 8, false)]
    [InlineData("int16", 16, false)]
    public void ActivationOperands(string activation, int bits, bool isFloat)
    {
        var pe = new BitParallelPe(1, ["int8"], activation);
        Assert.Equal((bits, isFloat), (pe.ActivationBits, pe.FloatActivations));
    }

    [Fact]
    public void ClosedFormCyclesPerStep()
    {
        var int8 = WeightDatatypes.Get("int8");
        var int4 = WeightDatatypes.Get("int4");
        // Bit-serial: ceil(8 / b) and ceil(4 / b).
        Assert.Equal([8, 4, 3, 2, 2, 1], new[] { 1, 2, 3, 4, 5, 8 }.Select(b => new BitSerialPe(1, ["int8"], b).CyclesPerStep(int8)));
        Assert.Equal([4, 2, 2, 1], new[] { 1, 2, 3, 4 }.Select(b => new BitSerialPe(1, ["int8"], b).CyclesPerStep(int4)));
        // Term-serial: INT8's widest non-adjacent form has 4 terms (e.g. 85 = 1010101b), INT4's 2 (e.g. 5 = 101b).
        Assert.Equal([4, 2, 2, 1], new[] { 1, 2, 3, 4 }.Select(t => new TermSerialPe(1, ["int8"], t).CyclesPerStep(int8)));
        Assert.Equal([2, 1], new[] { 1, 2 }.Select(t => new TermSerialPe(1, ["int8"], t).CyclesPerStep(int4)));
        Assert.Equal(1, new BitParallelPe(1, ["int8"]).CyclesPerStep(int8));
        Assert.Null(new BitParallelPe(1, ["int8"]).CannotExecute(WeightDatatypes.Get("fp16")));
    }

    [Fact]
    public void HeaderParametersPerKind()
    {
        // Every kind's parameters in stable-id order, valued only for the design's own kind.
        Assert.Equal([("PE_BITS_PER_CYCLE", 0L), ("PE_TERMS_PER_CYCLE", 0L)], new BitParallelPe(1, ["int8"]).HeaderParameters.Select(p => (p.Name, p.Value)));
        Assert.Equal([("PE_BITS_PER_CYCLE", 3L), ("PE_TERMS_PER_CYCLE", 0L)], new BitSerialPe(1, ["int8"], 3).HeaderParameters.Select(p => (p.Name, p.Value)));
        Assert.Equal([("PE_BITS_PER_CYCLE", 0L), ("PE_TERMS_PER_CYCLE", 2L)], new TermSerialPe(1, ["int8"], 2).HeaderParameters.Select(p => (p.Name, p.Value)));
        var bits = new BitSerialPe(1, ["int8"], 3).HeaderParameters[0];
        Assert.Equal(("bits/cycle", "weight bits per cycle (bit-serial PE; 0 otherwise)"), (bits.Unit, bits.Description));
        var terms = new BitSerialPe(1, ["int8"], 3).HeaderParameters[1];
        Assert.Equal(("terms/cycle", "weight terms per cycle (term-serial PE; 0 otherwise)"), (terms.Unit, terms.Description));
    }

    [Fact]
    public void DotProductsOverSeveralElements()
    {
        long[] a = [3, -7, 120, -128, 1];
        long[] w = [-128, 127, -1, 85, 0];
        long exact = 3 * -128 + -7 * 127 + 120 * -1 + -128 * 85 + 0; // −384 − 889 − 120 − 10,880
        Assert.Equal(-12_273, exact);
        Assert.Equal(exact, new BitParallelPe(5, ["int8"]).Arithmetic().Dot(a, w, 1));
        Assert.Equal(1, new BitParallelPe(5, ["int8"]).Arithmetic().CyclesFor(-128));
        foreach (int b in new[] { 1, 2, 3, 4 })
            Assert.Equal(exact, new BitSerialPe(5, ["int8"], b).Arithmetic().Dot(a, w, (8 + b - 1) / b));
        foreach (int t in new[] { 1, 2, 3 })
            Assert.Equal(exact, new TermSerialPe(5, ["int8"], t).Arithmetic().Dot(a, w, (4 + t - 1) / t));
    }

    [Fact]
    public void DigitsAndTermsOfSingleWeights()
    {
        // Bit-serial at 2 bits per cycle: a weight takes as many cycles as its signed base-4 digits. 1 (01) and −2
        // (10 = −2 as one signed digit) take 1; 2 = 0|10 needs a second digit (10 alone is −2); −3 = 11|01; 7 = 01|11;
        // −128 = 10|00|00|00, 127 = 01|11|11|11 and −33 = 11|01|11|11 take 4 (three signed digits reach −32 .. 31).
        var serial = new BitSerialPe(1, ["int8"], 2).Arithmetic();
        Assert.Equal([1, 1, 1, 2, 2, 2, 4, 4, 4], new long[] { 0, 1, -2, 2, -3, 7, -128, 127, -33 }.Select(serial.CyclesFor));
        // With too few cycles the top digit read is sign-extended from the wrong place: 7 in one 2-bit cycle reads
        // its low digit 11 as −1; −3 in one cycle reads 01 as +1; in two cycles both are exact.
        Assert.Equal(-5, serial.Dot([5], [7], 1));
        Assert.Equal(35, serial.Dot([5], [7], 2));
        Assert.Equal(5, serial.Dot([5], [-3], 1));
        Assert.Equal(-15, serial.Dot([5], [-3], 2));
        // 3 bits per cycle: 127 = 001|111|111 takes 3 (the top digit must read 001 to stay positive).
        Assert.Equal(3, new BitSerialPe(1, ["int8"], 3).Arithmetic().CyclesFor(127));

        // Term-serial, one term per cycle: the non-adjacent form of 7 is 8 − 1 (2 terms), of 85 = 64 + 16 + 4 + 1
        // (4), of 3 = 4 − 1 (2), of −128 one term, of 43 = 64 − 16 − 4 − 1 (4), of 0 none (still one cycle).
        var terms = new TermSerialPe(1, ["int8"], 1).Arithmetic();
        Assert.Equal([1, 1, 2, 2, 4, 1, 2, 4], new long[] { 0, 1, 7, 3, 85, -128, -7, 43 }.Select(terms.CyclesFor));
        // With fewer slots than terms the lowest terms are taken: 7 in one slot is −1; 85 in two slots 1 + 4 = 5;
        // −7 in one slot +1 (the negated −1), in two −(−1 + 8).
        Assert.Equal(-3, terms.Dot([3], [7], 1));
        Assert.Equal(21, terms.Dot([3], [7], 2));
        Assert.Equal(5 * 2, terms.Dot([2], [85], 2));
        Assert.Equal(2, terms.Dot([2], [-7], 1));
        Assert.Equal(-14, terms.Dot([2], [-7], 2));
        // Two terms per cycle: 85 takes 2 cycles, and one cycle gives its two lowest terms.
        var pairs = new TermSerialPe(1, ["int8"], 2).Arithmetic();
        Assert.Equal(2, pairs.CyclesFor(85));
        Assert.Equal(5, pairs.Dot([1], [85], 1));
        Assert.Equal(85, pairs.Dot([1], [85], 2));
    }
}
