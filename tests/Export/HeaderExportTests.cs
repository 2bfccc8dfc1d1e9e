using HwSim.Arch.Memory;
using HwSim.Arch.Pe;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Tests.Cli;
using HwSim.VerilogExport.Headers;
using HwSim.VerilogExport.Tools;
using HwSim.VerilogExport;

namespace HwSim.Tests.Export;

public sealed class HeaderExportTests : TemporaryDirectory
{
    public static TheoryData<string> PresetNames => [.. Presets.Names];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void EveryPresetExportsHeadersThatTheToolsAcceptAndThatReadBack(string preset)
    {
        var export = RtlExporter.Export(Presets.Find(preset)!);
        Assert.Equal(
            [SystemVerilogPackageWriter.FileName, VerilogHeaderWriter.FileName, CHeaderWriter.FileName],
            export.Headers.Select(f => f.Name));
        var results = HeaderChecker.Check(export, TempPath);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Detail}"));
        Assert.Contains(results, r => r.Name.StartsWith("verilator lint", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Name.StartsWith("iverilog", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Name.StartsWith("cc ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void PackageStatesTheDescription(string preset)
    {
        // Read the package text back and compare with the description field by field (not with the header model).
        var spec = Presets.Find(preset)!;
        var values = HeaderParser.ParsePackage(RtlExporter.Export(spec).Text(SystemVerilogPackageWriter.FileName));
        long Scalar(string name) => Assert.Single(values[name]);
        Assert.Equal(spec.Array.Rows, Scalar("ARRAY_ROWS"));
        Assert.Equal(spec.Array.Cols, Scalar("ARRAY_COLS"));
        Assert.Equal(Scalar($"DATAFLOW_{spec.Array.Dataflow.ToString().ToUpperInvariant()}"), Scalar("ARRAY_DATAFLOW"));
        Assert.Equal(Scalar($"INTERCONNECT_{spec.Array.Interconnect.ToString().ToUpperInvariant()}"), Scalar("ARRAY_INTERCONNECT"));
        Assert.Equal(spec.Pe.DotProductWidth, Scalar("PE_DOT_PRODUCT_WIDTH"));
        Assert.Equal(spec.Pe.AccumulatorBits, Scalar("PE_ACCUMULATOR_BITS"));
        Assert.Equal(spec.Pe is BitSerialPe serial ? serial.BitsPerCycle : 0, Scalar("PE_BITS_PER_CYCLE"));
        Assert.Equal(spec.Pe is TermSerialPe terms ? terms.TermsPerCycle : 0, Scalar("PE_TERMS_PER_CYCLE"));
        Assert.Equal(spec.ClockMhz, Scalar("CLOCK_FREQ_MHZ"));
        if (spec.Dram is SimpleDramSpec simple)
        {
            Assert.Equal(simple.BytesPerCycle * 8, Scalar("DRAM_INTERFACE_BITS"));
            Assert.Equal(simple.LatencyCycles, Scalar("DRAM_LATENCY_CYCLES"));
            Assert.Equal(simple.RowMissPenaltyCycles, Scalar("DRAM_ROW_MISS_PENALTY_CYCLES"));
        }
        else
        {
            var banked = Assert.IsType<BankedDramSpec>(spec.Dram);
            Assert.Equal((banked.ClockMhz, banked.ClCycles, banked.RcdCycles, banked.RpCycles),
                (Scalar("DRAM_CLOCK_MHZ"), Scalar("DRAM_CL_CYCLES"), Scalar("DRAM_RCD_CYCLES"), Scalar("DRAM_RP_CYCLES")));
        }
        Assert.Equal(spec.Buffers.Count, Scalar("NUM_BUFFERS"));
        foreach (var buffer in spec.Buffers)
        {
            string name = "BUF_" + buffer.Name.ToUpperInvariant();
            Assert.Equal(buffer.CapacityBytes, Scalar(name + "_CAPACITY_BYTES"));
            Assert.Equal(buffer.CapacityBytes * 8, Scalar(name + "_DEPTH") * Scalar(name + "_BANKS") * Scalar(name + "_WIDTH_BITS"));
        }
        long mask = Scalar("PE_WEIGHT_TYPES_MASK");
        var cycles = values["PE_CYCLES_PER_STEP"];
        // Designs of format-version-1 datatypes enumerate exactly the version-1 ids.
        Assert.Equal(StableIds.FormatVersion1WeightTypes, Scalar("NUM_WTYPES"));
        foreach (string type in StableIds.WeightTypes.Take(StableIds.FormatVersion1WeightTypes))
        {
            long id = Scalar("WTYPE_" + type.ToUpperInvariant().Replace('-', '_'));
            bool supported = spec.Pe.WeightTypes.Contains(type);
            Assert.Equal(supported, (mask >> (int)id & 1) == 1);
            long expected = supported ? Timing(spec.Pe, type) : 0;
            Assert.Equal(expected, cycles[id]);
        }
    }

    // Independent of the arch model: BitMoD's 4 MACs per 2 / 3 / 4 cycles (paper Sec. IV), 1 on a bit-parallel PE.
    private static long Timing(PeSpec pe, string type) => pe switch
    {
        BitParallelPe => 1,
        TermSerialPe => type switch { "int8" => 4, "int6" => 3, _ => 2 },
        _ => throw new InvalidOperationException("no bit-serial preset"),
    };

    [Fact]
    public void CodebooksMatchThePublishedValues()
    {
        var bitmod = Values("bitmod");
        // BitMoD special values (bitmod.md): FP3 ER ±3, EA ±6; FP4 ER ±10, EA ±16 (code grid ×2).
        Assert.Equal([3, -3, 6, -6], Signed(bitmod, "BITMOD3_SPECIAL"));
        Assert.Equal([10, -10, 16, -16], Signed(bitmod, "BITMOD4_SPECIAL"));
        var olive = Values("olive");
        Assert.Equal(8, Assert.Single(olive["OVP4_IDENTIFIER"]));
        // OliVe abfloat 4-bit (olive_ant.md): magnitudes 48, 64, 96, 128, 192, 256, 384.
        Assert.Equal([0, 48, 64, 96, 128, 192, 256, 384], Signed(olive, "OVP4_ABFLOAT_DECODE")[..8]);
        Assert.Equal([0, -48, -64, -96, -128, -192, -256, -384], Signed(olive, "OVP4_ABFLOAT_DECODE")[8..]);
        Assert.Equal(504 * 4, Signed(olive, "OVP8_ABFLOAT_DECODE").Max());
        var ant = Values("ant");
        // Signed flint4 = sign + 3-bit flint {0, 1, 2, 3, 4, 6, 8, 16} (olive_ant.md).
        Assert.Equal([0, 1, 2, 3, 4, 6, 8, 16], Signed(ant, "ANT4_FLINT_DECODE").Select(Math.Abs).Distinct().Order());
        Assert.Equal([0, 1, 2, 4, 8, 16, 32, 64], Signed(ant, "ANT4_POT_DECODE").Select(Math.Abs).Distinct().Order());
    }

    private static Dictionary<string, long[]> Values(string preset) =>
        HeaderParser.ParseCHeader(RtlExporter.Export(Presets.Find(preset)!).Text(CHeaderWriter.FileName));

    private static long[] Signed(Dictionary<string, long[]> values, string table) => values[table];

    [Fact]
    public void APlanBecomesThePrecisionScheduleInEveryHeader()
    {
        var plan = new PrecisionPlan("llama-2-7b", "bitmod",
            [new(0, "q_proj", "bitmod4"), new(0, "down_proj", "int6"), new(-1, "lm_head", "int8"), new(5, "v_proj", "bitmod3")]);
        var export = RtlExporter.Export(Presets.Find("bitmod")!, plan);
        foreach (var values in new[]
        {
            HeaderParser.ParsePackage(export.Text(SystemVerilogPackageWriter.FileName)),
            HeaderParser.ParseVerilogHeader(export.Text(VerilogHeaderWriter.FileName)),
            HeaderParser.ParseCHeader(export.Text(CHeaderWriter.FileName)),
        })
        {
            Assert.Equal([4], values["PLAN_ENTRIES"]);
            Assert.Equal([0, 0, values["PLAN_OUTSIDE_LAYERS"][0], 5], values["PLAN_LAYER"]);
            Assert.Equal([values["OP_Q_PROJ"][0], values["OP_DOWN_PROJ"][0], values["OP_LM_HEAD"][0], values["OP_V_PROJ"][0]], values["PLAN_OP"]);
            Assert.Equal([values["WTYPE_BITMOD4"][0], values["WTYPE_INT6"][0], values["WTYPE_INT8"][0], values["WTYPE_BITMOD3"][0]], values["PLAN_WTYPE"]);
            Assert.Equal([2, 3, 4, 2], values["PLAN_CYCLES_PER_STEP"]);
        }
        Assert.All(HeaderChecker.Check(export, TempPath), r => Assert.True(r.Passed, $"{r.Name}: {r.Detail}"));
    }

    [Fact]
    public void WithoutAPlanOneEntryCoversEveryOpWithTheDefaultWeights()
    {
        var values = Values("bitmod");
        Assert.Equal([1], values["PLAN_ENTRIES"]);
        Assert.Equal(values["PLAN_EVERY_LAYER"], values["PLAN_LAYER"]);
        Assert.Equal(values["PLAN_EVERY_OP"], values["PLAN_OP"]);
        Assert.Equal(values["WTYPE_BITMOD4"], values["PLAN_WTYPE"]);
    }

    [Fact]
    public void TheDecodeDatatypeIsExported()
    {
        // bitmod-gen decodes with bitmod3 (its decodeWeights); a design without one decodes with its default.
        var generative = Values("bitmod-gen");
        Assert.Equal(generative["WTYPE_BITMOD4"], generative["PE_DEFAULT_WTYPE"]);
        Assert.Equal(generative["WTYPE_BITMOD3"], generative["PE_DECODE_WTYPE"]);
        var discriminative = Values("bitmod");
        Assert.Equal(discriminative["WTYPE_BITMOD4"], discriminative["PE_DECODE_WTYPE"]);
    }

    [Fact]
    public void AnAccumulatorWiderThan64BitsIsRejected()
    {
        var bitmod = Presets.Find("bitmod")!;
        string json = AcceleratorSpecJson.Write(bitmod).Replace("\"accumulatorBits\": 32", "\"accumulatorBits\": 96");
        var loading = Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(json, "wide.json"));
        Assert.Equal("wide.json: pe.accumulatorBits: must be in 8 .. 64 (got 96)", loading.Message);
        var building = Assert.Throws<InvalidDataException>(() => RtlExporter.Export(bitmod with { Pe = bitmod.Pe with { AccumulatorBits = 96 } }));
        Assert.Contains("pe.accumulatorBits", building.Message);
    }

    [Fact]
    public void ABufferThatIsNotWholeWordsIsRejected()
    {
        var bitmod = Presets.Find("bitmod")!;
        var odd = bitmod with { Buffers = [bitmod.Buffers[0] with { CapacityBytes = 1000 }, bitmod.Buffers[1]] };
        var e = Assert.Throws<InvalidDataException>(() => RtlExporter.Export(odd));
        Assert.StartsWith("buffers[0].capacityBytes: 1000 bytes is not a whole number of 8 banks × 512-bit words", e.Message);
    }

    [Theory]
    [InlineData("ovp4", "q_proj", "plan entries[0].weights: 'ovp4' is not a weight type the PE of bitmod supports")]
    [InlineData("int8", "attn_scores", "plan entries[0].op: 'attn_scores' is not a linear op")]
    public void APlanTheDesignCannotRunIsRejected(string weights, string op, string message)
    {
        var plan = new PrecisionPlan("llama-2-7b", "bitmod", [new(0, op, weights)]);
        var e = Assert.Throws<InvalidDataException>(() => RtlExporter.Export(Presets.Find("bitmod")!, plan));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void ExportIsDeterministic()
    {
        var first = RtlExporter.Export(Presets.Find("olive")!).Files.Select(f => f.Text).ToArray();
        var second = RtlExporter.Export(Presets.Find("olive")!).Files.Select(f => f.Text).ToArray();
        Assert.Equal(first, second);
    }
}
