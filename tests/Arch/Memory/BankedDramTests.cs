using HwSim.Arch.Memory;

namespace HwSim.Tests.Arch.Memory;

/// <summary>
/// The bank-aware model against closed forms from its JEDEC timings (DDR4-3200 as DRAMSim3's
/// DDR4_8Gb_x8_3200.ini and Ramulator 2's DDR4_3200AA state them: 25.6 GB/s peak, CL = tRCD = tRP = 22,
/// tRAS 52, tRTP 12, 4 cycles per 64-byte burst at 1600 MHz).
/// </summary>
public class BankedDramTests
{
    private static readonly BankedDramSpec Ddr4 = BankedDramSpec.Ddr4_3200();

    private const long Ddr4PeakBytesPerSecond = 25_600_000_000; // 3200 MT/s × 8 bytes

    [Theory]
    [InlineData(1000)]
    [InlineData(700)]
    public void SequentialStreamReachesThePeakWithinOnePercent(long acceleratorMhz)
    {
        const long bytes = 4L << 20;
        var dram = Ddr4.CreateModel(acceleratorMhz * 1_000_000);
        long cycles = dram.Serve(0, new DramRequest(0, bytes, 64, Write: false));
        double peakBytesPerCycle = (double)Ddr4PeakBytesPerSecond / (acceleratorMhz * 1_000_000);
        double achieved = bytes / (double)cycles;
        Assert.InRange(achieved / peakBytesPerCycle, 0.99, 1.0);
    }

    [Fact]
    public void HbmChannelStreamReachesItsPeakWithinOnePercent()
    {
        // DRAMSim3 HBM2_8Gb_x128: 128-bit channel at 1 GHz double data rate = 32 GB/s = 32 bytes per 1 GHz cycle.
        var dram = BankedDramSpec.Hbm2().CreateModel(1_000_000_000);
        const long bytes = 1L << 20;
        long cycles = dram.Serve(0, new DramRequest(0, bytes, 64, Write: false));
        Assert.InRange(bytes / (double)cycles / 32.0, 0.99, 1.0);
    }

    [Fact]
    public void RowHoppingInOneBankPaysPrechargeAndActivatePerAccess()
    {
        // Every access reads 4 bursts from a new row of bank 0 (row : bank : column mapping, so a stride of
        // banks × row bytes stays in the bank). Steady state per access: PRE waits for max(ACT + tRAS,
        // last column + tRTP), then tRP to the next ACT; the last data ends CL + burst after the last column.
        const int accesses = 50, bursts = 4;
        var dram = (BankedDram)Ddr4.CreateModel(1_600_000_000); // accelerator cycles = DRAM cycles
        long end = 0;
        for (int i = 0; i < accesses; i++)
            end = dram.Serve(0, new DramRequest((long)i * 16 * 8192, bursts * 64, 64, Write: false));
        long lastColumnAfterActivate = 22 + (bursts - 1) * 4;
        long period = Math.Max(52, lastColumnAfterActivate + 12) + 22;
        Assert.Equal(74, period); // = tRC: tRAS binds before tRCD + 3 tCCD + tRTP
        Assert.Equal((accesses - 1) * period + lastColumnAfterActivate + 22 + 4, end);
        Assert.Equal(accesses - 1, dram.RowConflicts);
        // Per access that is 74 cycles for 16 cycles of data: 58 cycles of precharge + activate overhead.
        var bus = dram.Activity(end);
        Assert.Equal(accesses * bursts * 4, bus.BusyCycles);
    }

    [Fact]
    public void SpreadingTheRowHopsOverBanksHidesThem()
    {
        // The same accesses (4 bursts, a new row every time), now to bank i mod 16: activations overlap other
        // banks' data; tRRD = 4 and tFAW = 34 allow one ACT per 16 data cycles, and a bank comes back after 256.
        const int accesses = 1024, bursts = 4;
        var dram = (BankedDram)Ddr4.CreateModel(1_600_000_000);
        long end = 0;
        for (int i = 0; i < accesses; i++)
            end = dram.Serve(0, new DramRequest((long)i * 8192, bursts * 64, 64, Write: false));
        double fractionOfPeak = accesses * bursts * 64 / (double)end / 16.0; // peak 16 bytes per DRAM cycle
        Assert.InRange(fractionOfPeak, 0.99, 1.0); // 99.7%: only the first ACT + CL are exposed
        Assert.Equal(accesses - 16, dram.RowConflicts);
        Assert.Equal(22 + 22 + accesses * bursts * 4, end);
    }

    [Fact]
    public void DmaBurstsSmallerThanAnAccessWasteItsOtherHalf()
    {
        // 32-byte DMA bursts on 64-byte column accesses: each burst costs a whole access, half the bandwidth.
        const long bytes = 64 * 1024;
        long Cycles(long burstBytes) => Ddr4.CreateModel(1_600_000_000).Serve(0, new DramRequest(0, bytes, burstBytes, Write: false));
        Assert.Equal(22 + 22 + bytes / 64 * 4, Cycles(64));
        Assert.Equal(22 + 22 + bytes / 32 * 4, Cycles(32));
    }

    [Fact]
    public void ClockConversionRoundsUpToTheNextEdgeExactly()
    {
        // Issued at accelerator cycle 3 of 1 GHz = DRAM cycle 4.8 -> edge 5; a closed-bank read: ACT at 5,
        // column at 27, data 49..53 = accelerator 33.125 ns -> edge 34.
        var dram = Ddr4.CreateModel(1_000_000_000);
        Assert.Equal(34, dram.Serve(3, new DramRequest(0, 64, 64, Write: false)));
    }

    [Fact]
    public void ValidationNamesTheField()
    {
        Assert.Null(Ddr4.Validate());
        Assert.StartsWith("dram.rowBufferBytes:", (Ddr4 with { RowBufferBytes = 100 }).Validate());
        Assert.StartsWith("dram.fawCycles:", (Ddr4 with { FawCycles = -1 }).Validate());
        Assert.StartsWith("dram.banks:", (Ddr4 with { Banks = 0 }).Validate());
    }
}
