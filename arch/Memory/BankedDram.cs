using HwSim.Arch.Spec;
using HwSim.Sim.Stats;

namespace HwSim.Arch.Memory;

/// <summary>
/// The "banked" DRAM model: one channel of <see cref="Banks"/> banks, each with a row buffer of
/// <see cref="RowBufferBytes"/> kept open until another row of the same bank is needed (open-page policy, as
/// DRAMSim3's OPEN_PAGE and Ramulator 2's OpenRowPolicy). Data moves in column accesses of <see cref="BurstBytes"/>
/// taking <see cref="BurstCycles"/> data-bus cycles. Timings are in cycles of the DRAM command clock
/// <see cref="ClockMhz"/> (tCK = 1 / clock), with the JEDEC names: CL, tRCD, tRP, tRAS, tCCD, tRRD, tFAW, tRTP.
/// </summary>
/// <remarks>
/// Address mapping, most significant first: row : bank : column (byte in row). A sequential stream fills a row,
/// then moves to the next bank, so it opens each row once and the next bank's activation overlaps the current
/// bank's data (like DRAMSim3's DDR4 default <c>rochrababgco</c> with the channel, rank and bank-group fields
/// folded into one bank field; DRAMSim3 configuration.cc SetAddressMapping).
/// Simplifications, stated: one rank and no bank groups (tCCD and tRRD are the _S values, tCCD_L/tRRD_L do not
/// apply); writes are timed as reads (CL, tRTP, no tWR/tWTR turnaround); no refresh; the command bus is not a
/// constraint; within a transfer the controller sees every access at once (an ideal first-come first-served queue
/// that may activate ahead).
/// </remarks>
[ModelName("banked", 1, "banks with open-page row buffers and JEDEC timings")]
public sealed record BankedDramSpec(
    long ClockMhz,
    int Banks,
    long RowBufferBytes,
    int BurstBytes,
    int BurstCycles,
    int ClCycles,
    int RcdCycles,
    int RpCycles,
    int RasCycles,
    int CcdCycles,
    int RrdCycles,
    int FawCycles,
    int RtpCycles) : DramSpec
{
    /// <summary>
    /// DDR4-3200 8Gb x8, one rank of 8 chips (64-bit bus): tCK 0.625 ns (1600 MHz), 4 bank groups × 4 banks,
    /// 8 KiB row per rank, BL8 = 4 cycles for 64 bytes, CL = tRCD = tRP = 22, tRAS 52, tCCD_S 4, tRRD_S 4,
    /// tFAW 34, tRTP 12. Sources: DRAMSim3 configs/DDR4_8Gb_x8_3200.ini; Ramulator 2 src/dram/impl/DDR4.cpp
    /// (DDR4_8Gb_x8, DDR4_3200AA) — JEDEC JESD79-4 speed bin DDR4-3200AA. Peak 25.6 GB/s.
    /// </summary>
    public static BankedDramSpec Ddr4_3200() => new(1600, 16, 8192, 64, 4, 22, 22, 22, 52, 4, 4, 34, 12);

    /// <summary>
    /// One HBM2 channel (128-bit, 8Gb x128 die): tCK 1 ns (1000 MHz), 16 banks, 2 KiB row, BL4 = 2 cycles for
    /// 64 bytes, CL = tRCD = tRP = 14, tRAS 34, tCCD_S 1, tRRD_S 4, tFAW 30, tRTP 5 (DRAMSim3's default; its
    /// HBM2 file names tRTP_S/L, which it does not read). Source: DRAMSim3 configs/HBM2_8Gb_x128.ini and
    /// src/configuration.cc. Peak 32 GB/s per channel.
    /// </summary>
    public static BankedDramSpec Hbm2() => new(1000, 16, 2048, 64, 2, 14, 14, 14, 34, 1, 4, 30, 5);

    public override string? Validate()
    {
        if (ClockMhz is < 1 or > 1_000_000) return $"dram.clockMhz: must be in 1 .. 1000000 (got {ClockMhz})";
        if (Banks is < 1 or > 4096) return $"dram.banks: must be in 1 .. 4096 (got {Banks})";
        if (BurstBytes < 1) return $"dram.burstBytes: must be at least 1 (got {BurstBytes})";
        if (RowBufferBytes < BurstBytes || RowBufferBytes % BurstBytes != 0)
            return $"dram.rowBufferBytes: must be a positive multiple of burstBytes {BurstBytes} (got {RowBufferBytes})";
        if (BurstCycles < 1) return $"dram.burstCycles: must be at least 1 (got {BurstCycles})";
        foreach (var (field, value) in new[]
                 {
                     ("clCycles", ClCycles), ("rcdCycles", RcdCycles), ("rpCycles", RpCycles), ("rasCycles", RasCycles),
                     ("ccdCycles", CcdCycles), ("rrdCycles", RrdCycles), ("fawCycles", FawCycles), ("rtpCycles", RtpCycles),
                 })
            if (value is < 0 or > 100_000) return $"dram.{field}: must be in 0 .. 100000 DRAM cycles (got {value})";
        return null;
    }

    public override IDramModel CreateModel(long acceleratorClockHz) => new BankedDram(this, acceleratorClockHz);

    public override IReadOnlyList<DramParameter> HeaderParameters() =>
    [
        new("CLOCK_MHZ", ClockMhz, "MHz", "DRAM command clock", Wide: true),
        new("BANKS", Banks, "banks", "banks of the channel"),
        new("ROW_BUFFER_BYTES", RowBufferBytes, "bytes", "row buffer of one bank", Wide: true),
        new("BURST_BYTES", BurstBytes, "bytes", "bytes of one column access"),
        new("BURST_CYCLES", BurstCycles, "DRAM cycles", "data-bus cycles of one column access"),
        new("CL_CYCLES", ClCycles, "DRAM cycles", "CL: read command to data"),
        new("RCD_CYCLES", RcdCycles, "DRAM cycles", "tRCD: activate to column command"),
        new("RP_CYCLES", RpCycles, "DRAM cycles", "tRP: precharge to activate"),
        new("RAS_CYCLES", RasCycles, "DRAM cycles", "tRAS: activate to precharge"),
        new("CCD_CYCLES", CcdCycles, "DRAM cycles", "tCCD: column command to column command"),
        new("RRD_CYCLES", RrdCycles, "DRAM cycles", "tRRD: activate to activate, other bank"),
        new("FAW_CYCLES", FawCycles, "DRAM cycles", "tFAW: window holding at most four activates"),
        new("RTP_CYCLES", RtpCycles, "DRAM cycles", "tRTP: read to precharge"),
    ];
}

/// <summary>
/// Prices each column access from the bank's state, as DRAMSim3 (bankstate.cc, timing.cc) and Ramulator 2
/// (DDR4.cpp) do: same row open = hit (column command when the bank and the bus allow); bank closed = miss (ACT,
/// then tRCD); other row open = conflict (PRE no earlier than ACT + tRAS and last column + tRTP, then tRP, ACT,
/// tRCD). Activates keep tRRD between them and at most four in any tFAW; column commands keep max(tCCD, burst)
/// between them; data arrives CL after the column command and holds the bus for the burst. Times are DRAM cycles;
/// a request issued at accelerator cycle c reaches the DRAM at the first DRAM edge at or after it,
/// ceil(c · f_dram / f_acc), and completes at the first accelerator edge at or after its last data,
/// ceil(d · f_acc / f_dram), both exact in 128-bit integers. Data-bus cycles moving data are busy; cycles the bus
/// waits while an access is pending (activation, CL, tCCD gaps) are stalled.
/// </summary>
public sealed class BankedDram : IDramModel
{
    private const long Never = long.MinValue / 4;

    private readonly BankedDramSpec spec;
    private readonly long dramHz, acceleratorHz;
    private readonly long columnSpacing;
    private readonly long[] openRow, activateCycle, lastColumnCycle;
    private readonly long[] activateWindow = [Never, Never, Never, Never];
    private int windowNext;
    private long lastActivate = Never, lastColumn = Never, lastDataEnd, busyCycles, stallCycles;

    public BankedDram(BankedDramSpec spec, long acceleratorClockHz)
    {
        this.spec = spec;
        dramHz = checked(spec.ClockMhz * 1_000_000);
        acceleratorHz = acceleratorClockHz;
        columnSpacing = Math.Max(spec.CcdCycles, spec.BurstCycles);
        openRow = new long[spec.Banks];
        Array.Fill(openRow, -1);
        activateCycle = new long[spec.Banks];
        lastColumnCycle = new long[spec.Banks];
    }

    public long RowHits { get; private set; }
    public long RowMisses { get; private set; }
    public long RowConflicts { get; private set; }

    public long LastStartCycle { get; private set; }

    public IReadOnlyList<string> TraceTracks => [.. Enumerable.Range(0, spec.Banks).Select(b => $"DRAM bank {b}")];

    public Action<DramActivity>? Observer { get; set; }

    public long Serve(long nowCycle, in DramRequest request)
    {
        LastStartCycle = nowCycle;
        if (request.Bytes <= 0) return nowCycle;
        long arrival = CeilScale(nowCycle, dramHz, acceleratorHz);
        LastStartCycle = CeilScale(Math.Max(arrival, lastDataEnd), acceleratorHz, dramHz);
        long address = request.Address, end = request.Address + request.Bytes;
        if (address % spec.BurstBytes == 0 && request.BurstBytes % spec.BurstBytes == 0)
        {
            // Every access block is touched by exactly one DMA burst, in order: price row by row.
            while (address < end)
            {
                long rowEnd = Math.Min(end, (address / spec.RowBufferBytes + 1) * spec.RowBufferBytes);
                Accesses(address, (rowEnd - address + spec.BurstBytes - 1) / spec.BurstBytes, arrival, request.Write);
                address = rowEnd;
            }
        }
        else
        {
            // A DMA burst smaller than an access, or misaligned, costs a whole access per block it touches.
            for (long start = address; start < end; start += request.BurstBytes)
            {
                long last = Math.Min(end, start + request.BurstBytes) - 1;
                for (long block = start / spec.BurstBytes; block <= last / spec.BurstBytes; block++)
                    Accesses(block * spec.BurstBytes, 1, arrival, request.Write);
            }
        }
        return CeilScale(lastDataEnd, acceleratorHz, dramHz);
    }

    /// <summary><paramref name="count"/> consecutive accesses within one row, from <paramref name="address"/>.</summary>
    private void Accesses(long address, long count, long arrival, bool write)
    {
        long rowIndex = address / spec.RowBufferBytes;
        int bank = (int)(rowIndex % spec.Banks);
        long row = rowIndex / spec.Banks;
        long columnReady;
        if (openRow[bank] == row)
        {
            RowHits++;
            columnReady = Math.Max(arrival, activateCycle[bank] + spec.RcdCycles);
        }
        else
        {
            long activate = arrival;
            if (openRow[bank] >= 0)
            {
                RowConflicts++;
                long precharge = Math.Max(arrival, Math.Max(activateCycle[bank] + spec.RasCycles, lastColumnCycle[bank] + spec.RtpCycles));
                activate = precharge + spec.RpCycles;
            }
            else RowMisses++;
            activate = Math.Max(activate, Math.Max(lastActivate + spec.RrdCycles, activateWindow[windowNext] + spec.FawCycles));
            activateWindow[windowNext] = activate;
            windowNext = (windowNext + 1) & 3;
            lastActivate = activate;
            activateCycle[bank] = activate;
            openRow[bank] = row;
            columnReady = activate + spec.RcdCycles;
        }
        long column = Math.Max(columnReady, lastColumn + columnSpacing);
        long dataStart = column + spec.ClCycles;
        stallCycles += dataStart - Math.Max(lastDataEnd, arrival);
        // The rest of the row are hits whose bank is ready: one access every columnSpacing cycles.
        RowHits += count - 1;
        lastColumn = column + (count - 1) * columnSpacing;
        lastColumnCycle[bank] = lastColumn;
        busyCycles += count * spec.BurstCycles;
        stallCycles += (count - 1) * (columnSpacing - spec.BurstCycles);
        lastDataEnd = lastColumn + spec.ClCycles + spec.BurstCycles;
        // The timeline shows the bus bytes of whole accesses, in accelerator cycles.
        Observer?.Invoke(new DramActivity(bank, CeilScale(dataStart, acceleratorHz, dramHz), CeilScale(lastDataEnd, acceleratorHz, dramHz),
            count * spec.BurstBytes, write));
    }

    private static long CeilScale(long cycles, long toHz, long fromHz) =>
        checked((long)(((Int128)cycles * toHz + fromHz - 1) / fromHz));

    /// <summary>Open rows make the future depend on addresses: no repetitions are skipped.</summary>
    public bool Capture(PeriodicState state) => false;

    public void Skip(PeriodicSkip skip) => throw new InvalidOperationException("the banked DRAM model's state depends on addresses");

    /// <summary>In DRAM clock cycles.</summary>
    public UnitActivityReport Activity(long endCycle)
    {
        long end = Math.Max(CeilScale(endCycle, dramHz, acceleratorHz), lastDataEnd);
        return new UnitActivityReport("dram", 1, busyCycles, stallCycles, end - busyCycles - stallCycles);
    }
}
