using HwSim.Arch.Memory;
using HwSim.Arch.Pe;
using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch.ScaleSim;

/// <summary>
/// Reading SCALE-Sim v2 <c>.cfg</c> files: the accelerator built from one (compared field by field, through its
/// canonical JSON, with a spec written out by hand from the file's values), the INI syntax it accepts, and every
/// rejection with its whole message.
/// </summary>
public class ScaleSimConfigTests
{
    private static AcceleratorSpec Read(string text) => ScaleSimConfig.Read(new StringReader(text), "s.cfg");

    private static string Error(string text) => Assert.Throws<InvalidDataException>(() => Read(text)).Message;

    /// <summary>The architecture section with one key replaced (or removed when <paramref name="value"/> is null).</summary>
    private static string Config(string key, string? value)
    {
        var lines = new Dictionary<string, string>
        {
            ["ArrayHeight"] = "8", ["ArrayWidth"] = "4", ["IfmapSramSzkB"] = "64", ["FilterSramSzkB"] = "32", ["OfmapSramSzkB"] = "16",
            ["Dataflow"] = "os", ["Bandwidth"] = "10",
        };
        if (value is null) lines.Remove(key);
        else lines[key] = value;
        return "[architecture_presets]\n" + string.Concat(lines.Select(kv => $"{kv.Key}: {kv.Value}\n"));
    }

    [Fact]
    public void TheAcceleratorIsAnInt8SystolicArrayWithTheFilesValues()
    {
        // Comments (# and ;), blank lines, keys in any case, '=' or ':' as separator, spaces around both, ignored keys,
        // another section's keys, a quoted run name.
        var spec = Read("""
            # SCALE-Sim v2 config
            [general]
            run_name = "my_run"

            [architecture_presets]
            ; sizes
            arrayheight :   16
            ArrayWidth=8
              IfmapSramSzkB: 6144
            FilterSramSzkB : 3072
            OfmapSramSzkB  = 2048
            IfmapOffset: 0
            MemoryBanks: 1
            Dataflow : WS
            Bandwidth : 25
            [run_presets]
            Bandwidth : 99
            InterfaceBandwidth: CALC
            """);
        var expected = new AcceleratorSpec("my_run", "SCALE-Sim 16x8 ws", 1000, new ArraySpec(16, 8, Dataflow.Ws),
            new BitParallelPe(1, ["int8"], ActivationType: "int8"),
            [
                new BufferSpec("ifmap_sram", BufferRole.Activations, 6144L * 1024),
                new BufferSpec("filter_sram", BufferRole.Weights, 3072L * 1024),
                new BufferSpec("ofmap_sram", BufferRole.Outputs, 2048L * 1024),
            ],
            new SimpleDramSpec(25), new DmaSpec(), [], new VectorUnitSpec(8), "int8", "int8", "SCALE-Sim config s.cfg");
        Assert.Equal(AcceleratorSpecJson.Write(expected), AcceleratorSpecJson.Write(spec));
    }

    [Fact]
    public void DefaultsAndDataflows()
    {
        // Without [general] run_name and Bandwidth: the name "scale_sim" and 10 words per cycle (SCALE-Sim's default).
        var spec = Read(Config("Bandwidth", null));
        Assert.Equal(("scale_sim", "SCALE-Sim 8x4 os", Dataflow.Os, 10), (spec.Name, spec.Description, spec.Array.Dataflow, ((SimpleDramSpec)spec.Dram).BytesPerCycle));
        Assert.Equal(Dataflow.Is, Read(Config("Dataflow", "Is")).Array.Dataflow);
        Assert.Equal("SCALE-Sim 8x4 is", Read(Config("Dataflow", "IS")).Description);
        Assert.Equal(Dataflow.Ws, Read(Config("Dataflow", "ws")).Array.Dataflow);
        // A key given twice: the later line wins.
        Assert.Equal(12, Read(Config("ArrayHeight", "8") + "ArrayHeight: 12\n").Array.Rows);
        // A bandwidth beyond 32 bits is held at int.MaxValue bytes per cycle.
        Assert.Equal(int.MaxValue, ((SimpleDramSpec)Read(Config("Bandwidth", "3000000000")).Dram).BytesPerCycle);
        // The largest SRAM: 2^30 KiB = 2^40 bytes, the validator's limit.
        Assert.Equal(1L << 40, Read(Config("IfmapSramSzkB", "1073741824")).Buffers[0].CapacityBytes);
        Assert.Equal(1024, Read(Config("OfmapSramSzkB", "1")).Buffers[2].CapacityBytes);
    }

    [Fact]
    public void SyntaxErrorsNameTheLine()
    {
        Assert.Equal("s.cfg line 2: section header '[general' lacks ']'", Error("# x\n[general\n"));
        Assert.Equal("s.cfg line 3: expected 'key : value', got 'ArrayHeight 8'", Error("[architecture_presets]\n\nArrayHeight 8\n"));
        Assert.Equal("s.cfg line 2: expected 'key : value', got ': 8'", Error("[architecture_presets]\n: 8\n"));
        Assert.Equal("s.cfg line 1: expected 'key : value', got '=8'", Error("=8\n"));
    }

    [Theory]
    [InlineData("ArrayHeight", null, "s.cfg: [architecture_presets] ArrayHeight is missing")]
    [InlineData("ArrayWidth", null, "s.cfg: [architecture_presets] ArrayWidth is missing")]
    [InlineData("IfmapSramSzkB", null, "s.cfg: [architecture_presets] IfmapSramSzkB is missing")]
    [InlineData("Dataflow", null, "s.cfg: [architecture_presets] Dataflow is missing")]
    [InlineData("Dataflow", "rs", "s.cfg line 7: Dataflow must be ws, os or is (got 'rs')")]
    [InlineData("ArrayHeight", "0", "s.cfg line 2: ArrayHeight must be an integer of at least 1 (got '0')")]
    [InlineData("ArrayWidth", "4.5", "s.cfg line 3: ArrayWidth must be an integer of at least 1 (got '4.5')")]
    [InlineData("Bandwidth", "0", "s.cfg line 8: Bandwidth must be an integer of at least 1 (got '0')")]
    [InlineData("OfmapSramSzkB", "-1", "s.cfg line 6: OfmapSramSzkB must be an integer of at least 0 (got '-1')")]
    [InlineData("FilterSramSzkB", "1073741825", "s.cfg line 5: FilterSramSzkB must be at most 1073741824 (got 1073741825)")]
    // The validator's messages, with its field paths translated to the file's keys.
    [InlineData("ArrayHeight", "4097", "s.cfg: ArrayHeight: must be in 1 .. 4096 (got 4097)")]
    [InlineData("ArrayHeight", "3000000000", "s.cfg: ArrayHeight: must be in 1 .. 4096 (got 2147483647)")]
    [InlineData("ArrayWidth", "5000", "s.cfg: ArrayWidth: must be in 1 .. 4096 (got 5000)")]
    [InlineData("IfmapSramSzkB", "0", "s.cfg: IfmapSramSzkB: buffer 'ifmap_sram' must hold at least 1 byte (got 0)")]
    [InlineData("FilterSramSzkB", "0", "s.cfg: FilterSramSzkB: buffer 'filter_sram' must hold at least 1 byte (got 0)")]
    [InlineData("OfmapSramSzkB", "0", "s.cfg: OfmapSramSzkB: buffer 'ofmap_sram' must hold at least 1 byte (got 0)")]
    public void BadValuesAreOneLineNamingTheKey(string key, string? value, string expected)
    {
        // Config's line numbers: 1 the section, then ArrayHeight, ArrayWidth, Ifmap, Filter, Ofmap, Dataflow, Bandwidth.
        Assert.Equal(expected, Error(Config(key, value)));
    }

    [Fact]
    public void TheArrayWidthAboveTheLimitIsHeldAt32Bits()
    {
        Assert.Equal("s.cfg: ArrayWidth: must be in 1 .. 4096 (got 2147483647)", Error(Config("ArrayWidth", "9999999999")));
    }
}
