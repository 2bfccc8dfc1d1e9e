using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Spec;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Datatypes;
using HwSim.Numerics.Gemm;
using HwSim.Numerics.Quantization;
using HwSim.Tests.Numerics;

namespace HwSim.Tests.Arch;

/// <summary>
/// The detailed array, fed the stored codes through its own edge decoder and computing with its own PE arithmetic,
/// equals the reference integer GEMM of numerics/ (INT8 activations × decoded weights, exact per-group sums).
/// </summary>
public class DetailedBitExactTests
{
    private const int M = 6, N = 10, K = 128;

    public static TheoryData<string, string> Cases() => new()
    {
        { "int8", "bitmod" }, { "int8", "ws-systolic" }, { "int8", "is-systolic" },
        { "bitmod4", "bitmod" }, { "bitmod4", "ws-systolic" }, { "bitmod4", "bit-serial" },
        { "bitmod3", "bitmod" },
        { "ovp4", "olive" }, { "ovp4", "os-systolic" }, { "ovp4", "bit-serial" },
        { "ant4", "ant" }, { "ant4", "is-systolic" }, { "ant4", "bitmod" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DetailedOutputsEqualTheReferenceGemm(string datatype, string design)
    {
        var weights = SyntheticWeightsForTests.Small(N, K, seed: datatype.Length * 31 + design.Length);
        var (quantized, decoder) = Quantize(datatype, weights);
        var activations = new sbyte[M * K];
        var random = new Random(5);
        for (int i = 0; i < activations.Length; i++) activations[i] = (sbyte)random.Next(-128, 128);

        var reference = IntegerGemm.GroupPartialSums(activations, M, quantized);
        var (array, pe) = Design(design, datatype);
        var sim = new DetailedArraySimulator(array, pe, WeightDatatypes.Get(datatype), decoder);
        var encoded = new EncodedWeights(N, K, quantized.Codes, quantized.TypeIds, quantized.Layout.GroupSize);
        var result = sim.Run(activations.Select(a => (long)a).ToArray(), M, encoded);

        Assert.Equal(1, quantized.Layout.GroupsPerRow);
        Assert.Equal(reference.Select(v => (long)v).ToArray(), result.Outputs);
    }

    private static (QuantizedMatrix, IWeightDecoderUnit) Quantize(string datatype, WeightMatrix weights)
    {
        var quantized = QuantizerCatalog.Create(datatype).Quantize(weights);
        IWeightDecoderUnit decoder = datatype switch
        {
            "bitmod4" => new BitmodDecoderUnit(4),
            "bitmod3" => new BitmodDecoderUnit(3),
            "ovp4" => new OvpPairDecoderUnit(4),
            "int8" => new RomDecoderUnit(IntegerTypes.Symmetric(8)),
            // ANT decodes the per-tensor type it chose; the ROM enumerates that type's first-one decoding.
            _ => new RomDecoderUnit(((CodebookDecoder)quantized.Layout.Decoder).Codebooks[0]),
        };
        return (quantized, decoder);
    }

    private static (ArraySpec, PeSpec) Design(string design, string datatype) => design switch
    {
        "bitmod" => (Presets.Find("bitmod")!.Array with { Rows = 4, Cols = 3 }, Presets.Find("bitmod")!.Pe with { WeightTypes = [datatype] }),
        "olive" => (new ArraySpec(3, 4, Dataflow.Os, Interconnect.Broadcast), new PeSpec(PeKind.BitParallel, 1, [datatype])),
        "ant" => (new ArraySpec(4, 4, Dataflow.Os, Interconnect.Broadcast), new PeSpec(PeKind.BitParallel, 1, [datatype])),
        "bit-serial" => (new ArraySpec(3, 5, Dataflow.Ws), new PeSpec(PeKind.BitSerial, 2, [datatype], BitsPerCycle: 2)),
        "ws-systolic" => (new ArraySpec(8, 4, Dataflow.Ws), new PeSpec(PeKind.TermSerial, 2, [datatype], TermsPerCycle: 1)),
        "os-systolic" => (new ArraySpec(4, 3, Dataflow.Os), new PeSpec(PeKind.BitParallel, 1, [datatype])),
        _ => (new ArraySpec(5, 4, Dataflow.Is), new PeSpec(PeKind.BitParallel, 3, [datatype])),
    };
}
