using HwSim.Arch.Spec;
using HwSim.Workloads.Tracing;
using HwSim.Numerics.Registry;

namespace HwSim.Tests.Arch;

public class AcceleratorSpecTests
{
    [Fact]
    public void EveryPresetIsValidAndRoundTripsThroughJson()
    {
        foreach (var preset in Presets.All)
        {
            Assert.Null(AcceleratorSpecValidator.Validate(preset));
            string json = AcceleratorSpecJson.Write(preset);
            var back = AcceleratorSpecJson.Read(json);
            Assert.Equal(json, AcceleratorSpecJson.Write(back));
        }
    }

    [Fact]
    public void PaperPresetsHaveThePapersEqualAreaShapes()
    {
        // BitMoD Sec. V (paper h × w = output channels × tokens; here rows take tokens).
        Assert.Equal((24, 32), Shape("fp16-baseline"));
        Assert.Equal((12, 64), Shape("fp16-baseline-gen"));
        Assert.Equal((32, 32), Shape("ant"));
        Assert.Equal((32, 36), Shape("olive"));
        Assert.Equal((16, 72), Shape("olive-gen"));
        Assert.Equal((32, 32), Shape("bitmod"));
        Assert.Equal((16, 64), Shape("bitmod-gen"));
        Assert.Equal(4.0625, WeightDatatypes.Get("bitmod4").Storage.EffectiveBits);
    }

    private static (int, int) Shape(string name) => (Presets.Find(name)!.Array.Rows, Presets.Find(name)!.Array.Cols);

    [Theory]
    [InlineData("\"capacityBytes\": 524288", "\"capacityBytes\": 0", "buffers[0].capacityBytes")]
    [InlineData("\"defaultWeights\": \"bitmod4\"", "\"defaultWeights\": \"ovp4\"", "defaultWeights: 'ovp4' is not a weight type the PE supports")]
    [InlineData("\"bitmod3\",", "\"mystery9\",", "pe.weightTypes[1]: unknown datatype 'mystery9'")]
    [InlineData("\"rows\": 32", "\"rows\": 5000", "array.rows: must be in 1 .. 4096")]
    [InlineData("\"cols\": 32", "\"cols\": 4097", "array.cols")]
    [InlineData("\"bytesPerCycle\": 32", "\"bytesPerCycle\": 0", "dram.bytesPerCycle")]
    [InlineData("\"kind\": \"termSerial\"", "\"kind\": \"quantum\"", "pe.kind")]
    [InlineData("\"clockMhz\": 1000", "\"clockMhz\": 1000, \"turbo\": true", "turbo")]
    [InlineData("\"termsPerCycle\": 1", "\"termsPerCycle\": 0", "pe.termsPerCycle")]
    public void InvalidDescriptionsAreRejectedNamingTheField(string original, string replacement, string expected)
    {
        string json = AcceleratorSpecJson.Write(Presets.Find("bitmod")!);
        Assert.Contains(original, json);
        var error = Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(json.Replace(original, replacement), "mine.json"));
        Assert.StartsWith("mine.json: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void GenerativeBitmodDecodesWithThreeBitWeights()
    {
        // Lossy BitMoD: 4-bit weights in prefill, 3-bit in generation (bitmod_sim/test_bitmod.py @e445a5f w_prec).
        var spec = Presets.Find("bitmod-gen")!;
        Assert.Equal("bitmod4", spec.WeightsFor(Phase.Prefill));
        Assert.Equal("bitmod3", spec.WeightsFor(Phase.Decode));
        Assert.Equal("bitmod4", spec.WeightsFor(Phase.Standalone));
        Assert.Equal(3.0625, WeightDatatypes.Get(spec.WeightsFor(Phase.Decode)).Storage.EffectiveBits);
        Assert.Contains("\"decodeWeights\": \"bitmod3\"", AcceleratorSpecJson.Write(spec));
        // A description without decodeWeights decodes with its defaultWeights and does not write the field.
        var discriminative = Presets.Find("bitmod")!;
        Assert.Equal("bitmod4", discriminative.WeightsFor(Phase.Decode));
        Assert.DoesNotContain("decodeWeights", AcceleratorSpecJson.Write(discriminative));
    }

    [Theory]
    [InlineData("\"decodeWeights\": \"ovp4\"", "decodeWeights: 'ovp4' is not a weight type the PE supports (pe.weightTypes: bitmod4, bitmod3, int6, int8, int4)")]
    [InlineData("\"decodeWeights\": \"mystery9\"", "decodeWeights: 'mystery9' is not a weight type the PE supports")]
    [InlineData("\"decodeWeights\": 3", "decodeWeights: ")]
    public void DecodeWeightsMustBeAWeightTypeOfThePe(string field, string expected)
    {
        string json = AcceleratorSpecJson.Write(Presets.Find("bitmod")!).Replace("\"defaultWeights\": \"bitmod4\",", $"\"defaultWeights\": \"bitmod4\", {field},");
        var error = Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(json, "mine.json"));
        Assert.StartsWith("mine.json: " + expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void FloatingPointWeightsNeedABitParallelPe()
    {
        var spec = Presets.Find("bitmod")! with { DefaultWeights = "fp16" };
        spec = spec with { Pe = spec.Pe with { WeightTypes = ["fp16"] } };
        Assert.StartsWith("pe.weightTypes[0]: 'fp16' is floating point", AcceleratorSpecValidator.Validate(spec));
    }
}
