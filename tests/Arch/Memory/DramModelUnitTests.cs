using HwSim.Arch.Memory;
using HwSim.Arch.Spec;

namespace HwSim.Tests.Arch.Memory;

/// <summary>
/// The DRAM models' own fields and counters, one at a time: each validation at both sides of its bound with its
/// whole message, the header parameters each model exports (names, values, units, wide flags), and the simple
/// channel's timeline and activity worked out by hand.
/// </summary>
public class DramModelUnitTests
{
    private static readonly SimpleDramSpec Simple = new(BytesPerCycle: 8, LatencyCycles: 3, RowBufferBytes: 64, RowMissPenaltyCycles: 5);
    private static readonly BankedDramSpec Ddr4 = BankedDramSpec.Ddr4_3200();

    [Fact]
    public void SimpleValidationAtEachBound()
    {
        Assert.Null(Simple.Validate());
        Assert.Null(new SimpleDramSpec(1).Validate());
        Assert.Equal("dram.bytesPerCycle: must be at least 1 (got 0)", new SimpleDramSpec(0).Validate());
        Assert.Equal("dram.latencyCycles: must not be negative (got -1)", (Simple with { LatencyCycles = -1 }).Validate());
        Assert.Null((Simple with { LatencyCycles = 0 }).Validate());
        Assert.Equal("dram.rowBufferBytes: must not be negative (got -1)", (Simple with { RowBufferBytes = -1 }).Validate());
        Assert.Equal("dram.rowMissPenaltyCycles: must not be negative (got -1)", (Simple with { RowMissPenaltyCycles = -1 }).Validate());
        const string both = "dram.rowBufferBytes: row buffers need both rowBufferBytes and rowMissPenaltyCycles";
        Assert.Equal(both, (Simple with { RowBufferBytes = 0 }).Validate());
        Assert.Equal(both, (Simple with { RowMissPenaltyCycles = 0 }).Validate());
        Assert.Null((Simple with { RowBufferBytes = 0, RowMissPenaltyCycles = 0 }).Validate());
        Assert.Null((Simple with { RowBufferBytes = 1, RowMissPenaltyCycles = 1 }).Validate());
    }

    [Fact]
    public void BankedValidationAtEachBound()
    {
        Assert.Null(Ddr4.Validate());
        Assert.Equal("dram.clockMhz: must be in 1 .. 1000000 (got 0)", (Ddr4 with { ClockMhz = 0 }).Validate());
        Assert.Equal("dram.clockMhz: must be in 1 .. 1000000 (got 1000001)", (Ddr4 with { ClockMhz = 1_000_001 }).Validate());
        Assert.Null((Ddr4 with { ClockMhz = 1 }).Validate());
        Assert.Null((Ddr4 with { ClockMhz = 1_000_000 }).Validate());
        Assert.Equal("dram.banks: must be in 1 .. 4096 (got 0)", (Ddr4 with { Banks = 0 }).Validate());
        Assert.Equal("dram.banks: must be in 1 .. 4096 (got 4097)", (Ddr4 with { Banks = 4097 }).Validate());
        Assert.Null((Ddr4 with { Banks = 1 }).Validate());
        Assert.Null((Ddr4 with { Banks = 4096 }).Validate());
        Assert.Equal("dram.burstBytes: must be at least 1 (got 0)", (Ddr4 with { BurstBytes = 0 }).Validate());
        Assert.Null((Ddr4 with { BurstBytes = 1 }).Validate());
        Assert.Equal("dram.rowBufferBytes: must be a positive multiple of burstBytes 64 (got 32)", (Ddr4 with { RowBufferBytes = 32 }).Validate());
        Assert.Equal("dram.rowBufferBytes: must be a positive multiple of burstBytes 64 (got 96)", (Ddr4 with { RowBufferBytes = 96 }).Validate());
        Assert.Null((Ddr4 with { RowBufferBytes = 64 }).Validate());
        Assert.Equal("dram.burstCycles: must be at least 1 (got 0)", (Ddr4 with { BurstCycles = 0 }).Validate());
        Assert.Null((Ddr4 with { BurstCycles = 1 }).Validate());
        var timings = new (string Field, Func<int, BankedDramSpec> With)[]
        {
            ("clCycles", v => Ddr4 with { ClCycles = v }), ("rcdCycles", v => Ddr4 with { RcdCycles = v }),
            ("rpCycles", v => Ddr4 with { RpCycles = v }), ("rasCycles", v => Ddr4 with { RasCycles = v }),
            ("ccdCycles", v => Ddr4 with { CcdCycles = v }), ("rrdCycles", v => Ddr4 with { RrdCycles = v }),
            ("fawCycles", v => Ddr4 with { FawCycles = v }), ("rtpCycles", v => Ddr4 with { RtpCycles = v }),
        };
        foreach (var (field, with) in timings)
        {
            Assert.Equal($"dram.{field}: must be in 0 .. 100000 DRAM cycles (got -1)", with(-1).Validate());
            Assert.Equal($"dram.{field}: must be in 0 .. 100000 DRAM cycles (got 100001)", with(100_001).Validate());
            Assert.Null(with(0).Validate());
            Assert.Null(with(100_000).Validate());
        }
    }

    [Fact]
    public void SimpleHeaderParameters()
    {
        Assert.Equal(
        [
            new DramParameter("BYTES_PER_CYCLE", 8, "bytes/cycle", "peak DRAM bandwidth per core cycle"),
            new DramParameter("INTERFACE_BITS", 64, "bits", "DRAM data interface width per core cycle"),
            new DramParameter("LATENCY_CYCLES", 3, "cycles", "access latency per transfer"),
            new DramParameter("ROW_BUFFER_BYTES", 64, "bytes", "row buffer size (0: not modeled)", Wide: true),
            new DramParameter("ROW_MISS_PENALTY_CYCLES", 5, "cycles", "extra cycles for a transfer that opens a row"),
        ], Simple.HeaderParameters());
    }

    [Fact]
    public void BankedHeaderParametersAreTheDdr4SpeedBin()
    {
        // DDR4-3200AA as DRAMSim3 configs/DDR4_8Gb_x8_3200.ini states it (see BankedDramSpec.Ddr4_3200).
        var parameters = Ddr4.HeaderParameters();
        Assert.Equal(
            ["CLOCK_MHZ", "BANKS", "ROW_BUFFER_BYTES", "BURST_BYTES", "BURST_CYCLES", "CL_CYCLES", "RCD_CYCLES", "RP_CYCLES",
             "RAS_CYCLES", "CCD_CYCLES", "RRD_CYCLES", "FAW_CYCLES", "RTP_CYCLES"],
            parameters.Select(p => p.Name));
        Assert.Equal([1600L, 16, 8192, 64, 4, 22, 22, 22, 52, 4, 4, 34, 12], parameters.Select(p => p.Value));
        Assert.Equal(["CLOCK_MHZ", "ROW_BUFFER_BYTES"], parameters.Where(p => p.Wide).Select(p => p.Name));
        Assert.Equal("MHz", parameters[0].Unit);
        Assert.Equal("DRAM command clock", parameters[0].Description);
        Assert.All(parameters.Skip(4), p => Assert.Equal("DRAM cycles", p.Unit));
        Assert.Equal("tRCD: activate to column command", parameters.Single(p => p.Name == "RCD_CYCLES").Description);
        Assert.Equal("tFAW: window holding at most four activates", parameters.Single(p => p.Name == "FAW_CYCLES").Description);
        Assert.All(parameters, p => Assert.False(string.IsNullOrEmpty(p.Description)));
        // HBM2 (DRAMSim3 configs/HBM2_8Gb_x128.ini).
        Assert.Equal([1000L, 16, 2048, 64, 2, 14, 14, 14, 34, 1, 4, 30, 5], BankedDramSpec.Hbm2().HeaderParameters().Select(p => p.Value));
    }

    [Fact]
    public void SimpleChannelTimelineByHand()
    {
        // 8 bytes per cycle, latency 3, a 5-cycle penalty per 64-byte row opened.
        var dram = (SimpleDram)Simple.CreateModel(1_000_000_000);
        var seen = new List<DramActivity>();
        dram.Observer = seen.Add;
        // 100 bytes at cycle 10: 13 data cycles + 2 rows × 5 = 23 channel cycles, 10..33, data done at 36.
        Assert.Equal(36, dram.Serve(10, new DramRequest(0, 100, 64, Write: false)));
        Assert.Equal(10, dram.LastStartCycle);
        // 64 bytes at cycle 20 queue behind it: 33..33+8+5 = 46, done at 49.
        Assert.Equal(49, dram.Serve(20, new DramRequest(4096, 64, 64, Write: true)));
        Assert.Equal(33, dram.LastStartCycle);
        // 1 byte at cycle 100, the channel idle: 100..106, done at 109.
        Assert.Equal(109, dram.Serve(100, new DramRequest(0, 1, 64, Write: false)));
        Assert.Equal(
            [new DramActivity(0, 10, 33, 100, false), new DramActivity(0, 33, 46, 64, true), new DramActivity(0, 100, 106, 1, false)],
            seen);
        Assert.Equal(["DRAM channel"], dram.TraceTracks);
        // Busy 13 + 8 + 1 = 22 data cycles, stalled (2 + 1 + 1 rows) × 5 = 20; the rest of 120 idle.
        var activity = dram.Activity(120);
        Assert.Equal(("dram", 1, 22L, 20L, 120L - 42), (activity.Name, activity.Units, activity.BusyCycles, activity.StallCycles, activity.IdleCycles));
        // The channel's end counts when the run ended before it.
        Assert.Equal(106L - 42, dram.Activity(50).IdleCycles);
    }

    [Fact]
    public void SimpleChannelWithoutRowBuffersChargesNoPenalty()
    {
        var dram = new SimpleDramSpec(BytesPerCycle: 8).CreateModel(1);
        Assert.Equal(13, dram.Serve(0, new DramRequest(0, 100, 64, Write: false)));
        Assert.Equal(0, dram.Activity(13).StallCycles);
    }

    [Fact]
    public void SimpleChannelStateSkipsByRepetitions()
    {
        // Capture, one more transfer, capture: skipping 3 periods adds three times each change.
        var dram = (SimpleDram)Simple.CreateModel(1);
        var first = new PeriodicState();
        first.Reset(0);
        Assert.True(dram.Capture(first));
        dram.Serve(0, new DramRequest(0, 64, 64, Write: false)); // 8 data + 5 penalty cycles, channel free at 13
        var second = new PeriodicState();
        second.Reset(13);
        dram.Capture(second);
        Assert.Equal(first.Shape, second.Shape); // the channel is free now in both
        Assert.Equal([13L, 8, 5], second.Values);
        var skip = new PeriodicSkip(3, first.Values, second.Values);
        dram.Skip(skip);
        Assert.True(skip.Complete);
        var activity = dram.Activity(52);
        Assert.Equal((32L, 20L, 0L), (activity.BusyCycles, activity.StallCycles, activity.IdleCycles));
        // The channel is free at 13 + 3·13 = 52: a transfer at 0 starts there.
        Assert.Equal(52 + 8 + 5 + 3, dram.Serve(0, new DramRequest(0, 64, 64, Write: false)));
    }

    [Fact]
    public void BankedModelDoesNotSkipAndNamesItsBanks()
    {
        var dram = Ddr4.CreateModel(1_600_000_000);
        Assert.False(dram.Capture(new PeriodicState()));
        Assert.Throws<InvalidOperationException>(() => dram.Skip(new PeriodicSkip(1, [], [])));
        Assert.Equal(16, dram.TraceTracks.Count);
        Assert.Equal("DRAM bank 0", dram.TraceTracks[0]);
        Assert.Equal("DRAM bank 15", dram.TraceTracks[15]);
        // An empty transfer completes at once.
        Assert.Equal(7, dram.Serve(7, new DramRequest(0, 0, 64, Write: false)));
        Assert.Equal(7, dram.LastStartCycle);
    }
}
