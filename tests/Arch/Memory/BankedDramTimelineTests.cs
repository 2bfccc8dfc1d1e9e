using HwSim.Arch.Memory;

namespace HwSim.Tests.Arch.Memory;

/// <summary>
/// The banked DRAM model access by access, against timelines worked out by hand from its JEDEC timings. The part
/// used has a distinct value for every timing so that each constraint shows in a different cycle: 1 GHz command
/// clock on a 1 GHz accelerator (DRAM cycles are accelerator cycles), 8 banks of 256-byte rows (row : bank : column
/// mapping, so row index = address / 256, bank = row index mod 8), 64-byte accesses of 2 bus cycles, CL 5, tRCD 7,
/// tRP 6, tRAS 20, tCCD 3 (so column commands are 3 cycles apart and each leaves a 1-cycle gap on the bus), tRRD 4,
/// tFAW 30, tRTP 9.
/// </summary>
public class BankedDramTimelineTests
{
    private static readonly BankedDramSpec Part = new(ClockMhz: 1000, Banks: 8, RowBufferBytes: 256, BurstBytes: 64,
        BurstCycles: 2, ClCycles: 5, RcdCycles: 7, RpCycles: 6, RasCycles: 20, CcdCycles: 3, RrdCycles: 4, FawCycles: 30,
        RtpCycles: 9);

    private static (BankedDram Dram, List<DramActivity> Seen) Fresh()
    {
        var dram = new BankedDram(Part, 1_000_000_000);
        var seen = new List<DramActivity>();
        dram.Observer = seen.Add;
        return (dram, seen);
    }

    private static DramRequest Read(long address, long bytes) => new(address, bytes, 64, Write: false);

    [Fact]
    public void FiveActivatesInOneFawWindowThenARowHit()
    {
        // One 64-byte read per bank 0..4 (row 0 of each), all issued at 0, then a read of row 0 of bank 0 again.
        var (dram, seen) = Fresh();
        long[] ends = [.. Enumerable.Range(0, 5).Select(b => dram.Serve(0, Read(b * 256L, 64)))];
        // Bank 0: ACT 0, column 0 + tRCD = 7, data 7 + CL = 12 .. 14.
        // Banks 1..3: ACTs tRRD apart at 4, 8, 12; columns 11, 15, 19 (tRCD binds: the previous column + tCCD is
        // 10, 14, 18); data 16..18, 20..22, 24..26.
        // Bank 4: tRRD would allow 16, but it would be the fifth ACT within tFAW of the first (0 + 30): ACT 30,
        // column 37, data 42..44.
        Assert.Equal([14L, 18, 22, 26, 44], ends);
        // Bank 0's row is still open: a hit. Its column waits for the last column + tCCD = 40, data 45..47.
        Assert.Equal(47, dram.Serve(0, Read(64, 64)));
        Assert.Equal(44, dram.LastStartCycle); // the bus was busy until the previous data ended
        Assert.Equal((1L, 5L, 0L), (dram.RowHits, dram.RowMisses, dram.RowConflicts));
        Assert.Equal(
        [
            new DramActivity(0, 12, 14, 64, false), new DramActivity(1, 16, 18, 64, false), new DramActivity(2, 20, 22, 64, false),
            new DramActivity(3, 24, 26, 64, false), new DramActivity(4, 42, 44, 64, false), new DramActivity(0, 45, 47, 64, false),
        ], seen);
        // Bus: 6 accesses × 2 busy cycles; every other cycle up to 47 a request was waiting: stalled 47 − 12 = 35.
        var bus = dram.Activity(47);
        Assert.Equal((12L, 35L, 0L), (bus.BusyCycles, bus.StallCycles, bus.IdleCycles));
    }

    [Fact]
    public void ConflictsInOneBankWaitForTrtpTrasOrTheirArrival()
    {
        // Bank 0 only: its rows 0, 1, 2 start at addresses 0, 2048, 4096 (row index 8 r).
        var (dram, seen) = Fresh();
        // (1) 256 bytes of row 0 at 0: a miss, ACT 0, columns 7, 10, 13, 16 (tCCD apart), data 12 .. 16 + CL + 2 = 23.
        Assert.Equal(23, dram.Serve(0, Read(0, 256)));
        Assert.Equal(0, dram.LastStartCycle);
        // (2) Row 1 at 0: a conflict. PRE at max(ACT + tRAS = 20, last column + tRTP = 25) = 25 (tRTP binds),
        // ACT 25 + tRP = 31, column 38, data 43..45.
        Assert.Equal(45, dram.Serve(0, Read(2048, 64)));
        Assert.Equal(23, dram.LastStartCycle);
        // (3) Row 2 at 0: PRE at max(31 + 20 = 51, 38 + 9 = 47) = 51 (tRAS binds), ACT 57, column 64, data 69..71.
        Assert.Equal(71, dram.Serve(0, Read(4096, 64)));
        Assert.Equal(45, dram.LastStartCycle);
        // (4) Row 2 again, issued at 100 when the bank and bus are idle: a hit whose column is its arrival, data
        // 105..107.
        Assert.Equal(107, dram.Serve(100, Read(4096 + 64, 64)));
        Assert.Equal(100, dram.LastStartCycle);
        // (5) Row 0 at 200: a conflict whose PRE is its arrival (tRAS and tRTP long past): ACT 206, column 213,
        // data 218..220.
        Assert.Equal(220, dram.Serve(200, Read(0, 64)));
        Assert.Equal(200, dram.LastStartCycle);
        // Hits: the 3 after the first access of (1), and (4). Misses: (1). Conflicts: (2), (3), (5).
        Assert.Equal((4L, 1L, 3L), (dram.RowHits, dram.RowMisses, dram.RowConflicts));
        Assert.Equal(
        [
            new DramActivity(0, 12, 23, 256, false), new DramActivity(0, 43, 45, 64, false), new DramActivity(0, 69, 71, 64, false),
            new DramActivity(0, 105, 107, 64, false), new DramActivity(0, 218, 220, 64, false),
        ], seen);
        // Busy: 8 bus cycles for (1), 2 for each other. Stalled, while a request waited and the bus moved nothing:
        // (1) 0..12 and the three 1-cycle tCCD gaps = 15; (2) 23..43 = 20; (3) 45..69 = 24; (4) 100..105 = 5;
        // (5) 200..218 = 18: 82. Idle: 71..100 and 107..200 = 122.
        var bus = dram.Activity(220);
        Assert.Equal((16L, 82L, 122L), (bus.BusyCycles, bus.StallCycles, bus.IdleCycles));
        // A run ending before the last data counts to the data's end; one ending after it idles the rest.
        Assert.Equal(122, dram.Activity(150).IdleCycles);
        Assert.Equal(202, dram.Activity(300).IdleCycles);
    }

    [Fact]
    public void MisalignedTransferPaysAnAccessPerBlockEachBurstTouches()
    {
        // 128 bytes from address 32 as two 64-byte DMA bursts, [32, 96) and [96, 160): each touches two 64-byte
        // blocks (0 and 1, then 1 and 2), so the DRAM makes four accesses to row 0 of bank 0: a miss (ACT 0,
        // column 7) and three hits (columns 10, 13, 16), data 12 .. 16 + CL + 2 = 23.
        var (dram, seen) = Fresh();
        Assert.Equal(23, dram.Serve(0, Read(32, 128)));
        Assert.Equal((3L, 1L), (dram.RowHits, dram.RowMisses));
        Assert.Equal(
        [
            new DramActivity(0, 12, 14, 64, false), new DramActivity(0, 15, 17, 64, false),
            new DramActivity(0, 18, 20, 64, false), new DramActivity(0, 21, 23, 64, false),
        ], seen);
        // An aligned transfer of the same size makes two accesses: data 12 .. 10 + CL + 2 = 17.
        var (aligned, _) = Fresh();
        Assert.Equal(17, aligned.Serve(0, Read(0, 128)));
        // Aligned, but with 128-byte DMA bursts (a multiple of the access): the same two accesses, priced as one run.
        var (wide, _) = Fresh();
        Assert.Equal(17, wide.Serve(0, new DramRequest(0, 128, 128, Write: true)));
        Assert.Equal((1L, 1L), (wide.RowHits, wide.RowMisses));
        // Misaligned across a row boundary: 64 bytes from 224 touch block 3 (row 0 of bank 0) and block 4 (address
        // 256: row index 1, bank 1). Bank 0: ACT 0, column 7, data 12..14; bank 1: ACT tRRD later at 4, column 11,
        // data 16..18.
        var (crossing, crossingSeen) = Fresh();
        Assert.Equal(18, crossing.Serve(0, Read(224, 64)));
        Assert.Equal((0L, 2L), (crossing.RowHits, crossing.RowMisses));
        Assert.Equal([new DramActivity(0, 12, 14, 64, false), new DramActivity(1, 16, 18, 64, false)], crossingSeen);
    }

    [Fact]
    public void HeaderUnitsActivityNameAndSkipRefusal()
    {
        var parameters = Part.HeaderParameters();
        Assert.Equal(["MHz", "banks", "bytes", "bytes", "DRAM cycles"], parameters.Take(5).Select(p => p.Unit));
        Assert.Equal(["DRAM command clock", "banks of the channel", "row buffer of one bank", "bytes of one column access",
            "data-bus cycles of one column access"], parameters.Take(5).Select(p => p.Description));
        var dram = new BankedDram(Part, 1_000_000_000);
        Assert.Equal("dram", dram.Activity(0).Name);
        Assert.Equal("the banked DRAM model's state depends on addresses",
            Assert.Throws<InvalidOperationException>(() => dram.Skip(new PeriodicSkip(1, [], []))).Message);
    }

    [Fact]
    public void ARowHitAcrossTwoClocksWaitsForTheColumnSpacing()
    {
        // DDR4-3200 (1600 MHz) under a 1 GHz accelerator. Issued at cycle 3 = DRAM cycle 4.8 → 5: ACT 5, column
        // 27, data 49..53 → accelerator 33.125 → 34. A hit issued at cycle 3 as well: its column waits for
        // 27 + tCCD 4 = 31, data 53..57 → 35.625 → 36; the DRAM turned to it at 53 → 33.125 → 34.
        var dram = (BankedDram)BankedDramSpec.Ddr4_3200().CreateModel(1_000_000_000);
        var seen = new List<DramActivity>();
        dram.Observer = seen.Add;
        Assert.Equal(34, dram.Serve(3, Read(0, 64)));
        Assert.Equal(36, dram.Serve(3, Read(64, 64)));
        Assert.Equal(34, dram.LastStartCycle);
        Assert.Equal([new DramActivity(0, 31, 34, 64, false), new DramActivity(0, 34, 36, 64, false)], seen);
        // In DRAM cycles: busy 2 × 4; stalled 5..49 = 44; the run's end, accelerator 36 = DRAM 57.6 → 58, leaves
        // 0..5 and 57..58 idle.
        var bus = dram.Activity(36);
        Assert.Equal((8L, 44L, 6L), (bus.BusyCycles, bus.StallCycles, bus.IdleCycles));
    }

    [Fact]
    public void CycleCountsBeyondSixtyFourBitsOverflowLoudly()
    {
        // Accelerator cycle 6·10^18 (< 2^63) is DRAM cycle 9.6·10^18 (> 2^63 ≈ 9.22·10^18) at 1600 MHz against 1 GHz.
        var dram = BankedDramSpec.Ddr4_3200().CreateModel(1_000_000_000);
        Assert.Throws<OverflowException>(() => dram.Serve(6_000_000_000_000_000_000, Read(0, 64)));
        // A clock beyond 2^63 Hz (unvalidated spec): the model refuses to build rather than wrap.
        Assert.Throws<OverflowException>(() => new BankedDram(Part with { ClockMhz = long.MaxValue / 1000 }, 1_000_000_000));
    }
}
