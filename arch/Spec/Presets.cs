using HwSim.Arch.Memory;
using HwSim.Arch.Pe;

namespace HwSim.Arch.Spec;

/// <summary>
/// Built-in accelerators. The BitMoD-paper set (Chen et al., HPCA 2025, Sec. V and its simulator
/// abdelfattah-lab/BitMoD-HPCA-25 @e445a5f) compares designs at equal compute area, 28 nm, 1 GHz, with 512 KB weight
/// and 512 KB activation SRAM (8 banks each) and a 128-bit DDR interface (2 × 128 bits = 32 bytes per cycle). Array
/// shapes are the paper's "h × w" with h output channels and w tokens; here rows take tokens (M) and columns output
/// channels (N), so the paper's 32x24 is 24 rows × 32 columns. Discriminative (prefill-heavy) and generative
/// (decode-heavy, "-gen") shapes are both provided. The ANT, OliVe and FP16 PEs compute one MAC per cycle; the BitMoD
/// PE a 4-wide dot product with weights one signed power-of-two term per cycle.
/// </summary>
public static class Presets
{
    public static readonly IReadOnlyList<AcceleratorSpec> All =
    [
        PaperDesign("fp16-baseline", "FP16 x FP16 MAC array (BitMoD paper baseline)", 24, 32, Fp16Pe(), [], "fp16", "fp16"),
        PaperDesign("fp16-baseline-gen", "FP16 baseline, generative shape (paper 64x12)", 12, 64, Fp16Pe(), [], "fp16", "fp16"),
        PaperDesign("ant", "ANT: int/PoT/flint weights decoded at the array edge, FP16 activations", 32, 32, AntPe(), Decoder("flint", 32), "ant4", "fp16"),
        PaperDesign("ant-gen", "ANT, generative shape (paper 64x16)", 16, 64, AntPe(), Decoder("flint", 64), "ant4", "fp16"),
        PaperDesign("olive", "OliVe: outlier-victim-pair weights, pair decoders at the array edge", 32, 36, OlivePe(), Decoder("ovp", 36), "ovp4", "fp16"),
        PaperDesign("olive-gen", "OliVe, generative shape (paper 72x16)", 16, 72, OlivePe(), Decoder("ovp", 72), "ovp4", "fp16"),
        PaperDesign("bitmod", "BitMoD: term-serial mixed-datatype PEs, 4-wide dot product (discriminative 32x32)", 32, 32, BitmodPe(), Decoder("bitmod-dequant", 32), "bitmod4", "int8"),
        // Lossy BitMoD runs 4-bit weights (4.0625 b with the INT8 group scale) in the prefill-only discriminative
        // runs and 3-bit (3.0625 b) in generation: w_prec in bitmod_sim/test_bitmod.py @e445a5f; paper Sec. V.
        BitmodGen(),
        Int8Systolic(),
        // The paper set prices DRAM by bandwidth alone, as the authors' simulator does. These variants of the
        // decode-heavy BitMoD design keep its 32 bytes per cycle and add what real parts cost on top.
        BitmodGen() with
        {
            Name = "bitmod-gen-ddr4",
            Description = "BitMoD generative shape with DDR4-3200 latency and row misses (simple DRAM model)",
            Dram = Ddr4_3200Simple(),
            Source = PaperSource + "; DRAM timings: JEDEC JESD79-4 DDR4-3200AA (CL = tRCD = tRP = 22 tCK of 0.625 ns) as in " +
                "DRAMSim3 configs/DDR4_8Gb_x8_3200.ini and Ramulator 2 DDR4.cpp",
        },
        BitmodGen() with
        {
            Name = "bitmod-gen-hbm2",
            Description = "BitMoD generative shape on one HBM2 channel (banked DRAM model, 32 GB/s)",
            Dram = BankedDramSpec.Hbm2(),
            Source = PaperSource + "; DRAM: one HBM2 channel (JEDEC JESD235), timings of DRAMSim3 configs/HBM2_8Gb_x128.ini",
        },
    ];

    public static IEnumerable<string> Names => All.Select(p => p.Name);

    public static AcceleratorSpec? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    private const string PaperSource =
        "BitMoD (Chen et al., HPCA 2025) Sec. V; simulator abdelfattah-lab/BitMoD-HPCA-25 @e445a5f bitmod_sim/";

    private static AcceleratorSpec BitmodGen() =>
        PaperDesign("bitmod-gen", "BitMoD, generative shape (paper 64x16): 4-bit prefill, 3-bit decode", 16, 64, BitmodPe(), Decoder("bitmod-dequant", 64), "bitmod4", "int8",
            decodeWeights: "bitmod3");

    /// <summary>
    /// DDR4-3200 priced by the simple model at the paper designs' 1 GHz clock: a transfer's data returns after a
    /// row hit's CL + burst = 22 + 4 tCK = 16.25 ns (17 cycles, rounded up), and each 8 KiB row it opens (one rank
    /// of eight x8 chips, 1 KiB page each) first costs a precharge and an activation, tRP + tRCD = 44 tCK = 27.5 ns
    /// (28 cycles). JEDEC JESD79-4 speed bin DDR4-3200AA; values as in DRAMSim3 configs/DDR4_8Gb_x8_3200.ini and
    /// Ramulator 2 src/dram/impl/DDR4.cpp (DDR4_8Gb_x8, DDR4_3200AA). The bandwidth stays the paper's 32 bytes per
    /// cycle, and the DMA the default two engines of 64-byte bursts (one DDR4 BL8 access of a 64-bit channel), so
    /// latency and row misses are all that differ from "bitmod-gen".
    /// </summary>
    private static SimpleDramSpec Ddr4_3200Simple() =>
        new(BytesPerCycle: 32, LatencyCycles: 17, RowBufferBytes: 8192, RowMissPenaltyCycles: 28);

    private static PeSpec Fp16Pe() => new BitParallelPe(1, ["fp16"]);

    private static PeSpec AntPe() => new BitParallelPe(1, ["ant4", "ant8", "int8", "int4"]);

    private static PeSpec OlivePe() => new BitParallelPe(1, ["ovp4", "ovp4-flint", "ovp8"]);

    // One term per cycle: FP3/FP4 weights take 2 cycles, INT6 3, INT8 4 (paper Sec. IV).
    private static PeSpec BitmodPe() => new TermSerialPe(4, ["bitmod4", "bitmod3", "int6", "int8", "int4"], TermsPerCycle: 1);

    private static DecoderSpec[] Decoder(string kind, int count) => [new(kind, count)];

    private static AcceleratorSpec PaperDesign(string name, string description, int rows, int cols, PeSpec pe,
        DecoderSpec[] decoders, string weights, string kvCache, string? decodeWeights = null) =>
        new(name, description, 1000,
            new ArraySpec(rows, cols, Dataflow.Os, Interconnect.Broadcast),
            pe,
            [
                new BufferSpec("weight_sram", BufferRole.Weights, 512 * 1024, Banks: 8, WidthBits: 512),
                new BufferSpec("act_sram", BufferRole.Activations, 512 * 1024, Banks: 8, WidthBits: 512),
            ],
            new SimpleDramSpec(BytesPerCycle: 32),
            new DmaSpec(),
            decoders,
            new VectorUnitSpec(Lanes: cols),
            weights, kvCache, PaperSource, decodeWeights);

    /// <summary>
    /// TPU v1-like (Jouppi et al., ISCA 2017, Sec. 2): 256 × 256 INT8 weight-stationary systolic array at 700 MHz,
    /// 24 MiB unified buffer, weight FIFO of four 64 KiB tiles, DDR3 at 34 GB/s = 48 bytes per 700 MHz cycle (rounded
    /// down to whole bytes).
    /// </summary>
    private static AcceleratorSpec Int8Systolic() =>
        new("int8-systolic", "TPU-like INT8 weight-stationary systolic array", 700,
            new ArraySpec(256, 256, Dataflow.Ws, Interconnect.Systolic),
            new BitParallelPe(1, ["int8", "int4"], ActivationType: "int8"),
            [
                new BufferSpec("weight_fifo", BufferRole.Weights, 4 * 64 * 1024, Banks: 4, WidthBits: 2048),
                new BufferSpec("unified_buffer", BufferRole.Activations, 24 * 1024 * 1024, Banks: 32, WidthBits: 2048),
            ],
            new SimpleDramSpec(BytesPerCycle: 48),
            new DmaSpec(),
            [],
            new VectorUnitSpec(Lanes: 256),
            "int8", "int8", "Jouppi et al., In-Datacenter Performance Analysis of a Tensor Processing Unit, ISCA 2017");
}
