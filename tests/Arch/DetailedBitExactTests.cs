using HwSim.Arch.Datapath;
using HwSim.Arch.Detailed;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Registry;
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
        { "ovp4-auto", "olive" }, { "ovp4-flint", "olive" }, { "ovp4-flint", "bit-serial" }, { "int4-gptq", "ws-systolic" }, { "int4-gptq", "bit-serial" }, { "bitmod4-fp16s", "bitmod" },
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

    /// <summary>The datatype's quantizer and the decoder unit the registry names for it.</summary>
    private static (QuantizedMatrix, IWeightDecoderUnit) Quantize(string datatype, WeightMatrix weights)
    {
        var quantized = QuantizerCatalog.Create(datatype).Quantize(weights);
        return (quantized, DecoderUnits.Create(WeightDatatypes.Get(datatype), quantized.Layout.Decoder));
    }

    public static TheoryData<string, string> NewDatatypeCases() => new()
    {
        { "mxfp4", "ws-systolic" }, { "mxfp4", "bit-serial" }, { "mxfp4", "os-systolic" },
        { "nvfp4", "ws-systolic" }, { "int4-g64", "ws-systolic" }, { "int4-g64", "bit-serial" }, { "fp8_e4m3", "ws-systolic" },
    };

    /// <summary>
    /// Datatypes with several scale groups per row (and FP8 elements): the array's integer sums over all of K equal the sum of the
    /// reference's exact per-group partial sums (int4-g64), or, for floating-point elements, the dot product with
    /// the element values counted by hand in units of the element's smallest subnormal (E2M1: halves; E4M3: 2^-9).
    /// </summary>
    [Theory]
    [MemberData(nameof(NewDatatypeCases))]
    public void NewDatatypesRunBitExactThroughTheirDecoder(string datatype, string design)
    {
        var weights = SyntheticWeightsForTests.Small(N, K, seed: datatype.Length * 17 + design.Length);
        var (quantized, decoder) = Quantize(datatype, weights);
        var activations = new sbyte[M * K];
        var random = new Random(7);
        for (int i = 0; i < activations.Length; i++) activations[i] = (sbyte)random.Next(-128, 128);

        var (array, pe) = Design(design, datatype);
        var sim = new DetailedArraySimulator(array, pe, WeightDatatypes.Get(datatype), decoder);
        var encoded = new EncodedWeights(N, K, quantized.Codes, quantized.TypeIds, quantized.Layout.GroupSize);
        var result = sim.Run(activations.Select(a => (long)a).ToArray(), M, encoded);

        Assert.Equal(Reference(datatype, activations, quantized), result.Outputs);
    }

    private static long[] Reference(string datatype, sbyte[] x, QuantizedMatrix w)
    {
        var outputs = new long[M * N];
        if (datatype == "int4-g64")
        {
            var partial = IntegerGemm.GroupPartialSums(x, M, w);
            int groups = w.Layout.GroupsPerRow;
            for (int i = 0; i < outputs.Length; i++) outputs[i] = partial.Skip(i * groups).Take(groups).Sum(v => (long)v);
            return outputs;
        }
        // E2M1 codes: sign bit 3, magnitude (e, m) → m/2 subnormal, (1 + m/2)·2^(e−1) normal (OCP MX v1.0, Table 1).
        var format = datatype == "fp8_e4m3" ? MiniFloat.Fp8E4M3 : MiniFloat.Fp4E2M1;
        double unit = datatype == "fp8_e4m3" ? 512 : 2;
        for (int m = 0; m < M; m++)
            for (int n = 0; n < N; n++)
                for (int k = 0; k < K; k++)
                    outputs[m * N + n] += x[m * K + k] * checked((long)(format.Decode(w.Codes[n * K + k]) * unit));
        return outputs;
    }

    private static (ArraySpec, PeSpec) Design(string design, string datatype) => design switch
    {
        "bitmod" => (Presets.Find("bitmod")!.Array with { Rows = 4, Cols = 3 }, Presets.Find("bitmod")!.Pe with { WeightTypes = [datatype] }),
        "olive" => (new ArraySpec(3, 4, Dataflow.Os, Interconnect.Broadcast), new BitParallelPe(1, [datatype])),
        "ant" => (new ArraySpec(4, 4, Dataflow.Os, Interconnect.Broadcast), new BitParallelPe(1, [datatype])),
        "bit-serial" => (new ArraySpec(3, 5, Dataflow.Ws), new BitSerialPe(2, [datatype], BitsPerCycle: 2)),
        "ws-systolic" => (new ArraySpec(8, 4, Dataflow.Ws), new TermSerialPe(2, [datatype], TermsPerCycle: 1)),
        "os-systolic" => (new ArraySpec(4, 3, Dataflow.Os), new BitParallelPe(1, [datatype])),
        _ => (new ArraySpec(5, 4, Dataflow.Is), new BitParallelPe(3, [datatype])),
    };
}
