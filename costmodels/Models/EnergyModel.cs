using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.CostModels.Tables;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Tracing;

namespace HwSim.CostModels.Models;

/// <summary>The energy of one op (summed over its runs), by component, in pJ.</summary>
public sealed record OpEnergy(TraceOp Op, IReadOnlyDictionary<string, double> ByComponentPicoJoules)
{
    public double TotalPicoJoules => ByComponentPicoJoules.Values.Sum();
}

/// <summary>
/// A run's energy: per component and per op (each op's components sum to its total; the ops sum to the run's total),
/// with the per-event energies used, and components the table cannot price.
/// </summary>
public sealed record EnergyReport(RunResult Run, IReadOnlyList<OpEnergy> Ops, IReadOnlyDictionary<string, double> PerEventPicoJoules,
    IReadOnlyList<string> Missing)
{
    public double TotalPicoJoules => Ops.Sum(o => o.TotalPicoJoules);

    public IReadOnlyDictionary<string, double> ByComponentPicoJoules => ByComponent();

    /// <summary>Energy per component over the ops of <paramref name="phase"/>, or of the whole run.</summary>
    public IReadOnlyDictionary<string, double> ByComponent(Phase? phase = null) =>
        Ops.Where(o => phase is null || o.Op.Phase == phase).SelectMany(o => o.ByComponentPicoJoules)
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));

    public double PhasePicoJoules(Phase phase) => Ops.Where(o => o.Op.Phase == phase).Sum(o => o.TotalPicoJoules);
}

/// <summary>
/// Energy = the simulator's event counts × per-event energies (Timeloop/Accelergy style: the same counts that give
/// the cycles give the energy):
/// <list type="bullet">
/// <item>PE array: busy PE-cycles × the PE's pJ per cycle (bit-serial and term-serial PEs are busy for every serial
/// cycle, so a wider datatype costs proportionally more);</item>
/// <item>decoders: BitMoD's dequantization logic, pJ per cycle per 8×8 tile, over the compute cycles of the GEMMs
/// with stored weights;</item>
/// <item>vector unit: element operations × one add of the activation width;</item>
/// <item>SRAM: bytes read and written per buffer × pJ per byte of a word access to one bank (Horowitz reads,
/// interpolated in bank capacity; writes × CACTI's write/read ratio);</item>
/// <item>DRAM: bytes × 1200 pJ per 64 bits;</item>
/// <item>leakage: the array's leakage power (PE dynamic power × ANT's leakage/dynamic ratio) × each op's cycles.</item>
/// </list>
/// </summary>
public static class EnergyModel
{
    public const string Pe = "PE array";
    public const string Decoders = "decoders";
    public const string Vector = "vector unit";
    public const string Dram = "DRAM";
    public const string Leakage = "leakage";

    public static EnergyReport Of(RunResult run, CostLookup costs)
    {
        var spec = run.Spec;
        var missing = new List<string>();
        var pe = PeCostItem.For(spec, costs.Table);
        double pePerCycle = costs.EnergyPicoJoules(pe.Item, pe.Bits) * pe.Multiplier;
        long pes = (long)spec.Array.Rows * spec.Array.Cols;
        double leakagePerCycle = pePerCycle * pes * costs.Factor("pe_leakage_to_dynamic");

        double decoderPerCycle = 0;
        foreach (var decoder in spec.Decoders)
        {
            // Only per-tile decoders (BitMoD's dequantization logic) have a per-cycle energy row.
            var item = WeightDatatypes.FindDecoderKind(decoder.Kind)!;
            if (item.PerTile && costs.Has(item.CostItem, CostQuantity.Energy))
                decoderPerCycle += costs.EnergyPicoJoules(item.CostItem) * AreaModel.PerTileDecoders(spec);
            else missing.Add($"{decoder.Kind} decoder energy (no energy row; its PE-table energy may already include it)");
        }

        double elementOp = costs.EnergyPicoJoules(spec.Pe.FloatActivations ? "fp_add" : "int_add", spec.Pe.ActivationBits);

        var weightBuffer = spec.BufferFor(BufferRole.Weights)!;
        var activationBuffer = spec.BufferFor(BufferRole.Activations)!;
        var (weightRead, weightWrite) = SramPerByte(weightBuffer, costs);
        var (activationRead, activationWrite) = SramPerByte(activationBuffer, costs);
        double dramPerByte = costs.EnergyPicoJoules("dram_access", 64) / 8;
        string weightSram = $"SRAM {weightBuffer.Name}", activationSram = $"SRAM {activationBuffer.Name}";
        bool shared = weightBuffer == activationBuffer;

        var ops = new List<OpEnergy>(run.Ops.Count);
        foreach (var op in run.Ops)
        {
            var parts = new Dictionary<string, double>
            {
                [Pe] = op.BusyPeCycles * pePerCycle,
                // Only GEMMs with stored weights pass through the weight decoders (attention streams the KV cache).
                [Decoders] = op.WeightType is null ? 0 : op.ComputeCycles * decoderPerCycle,
                [Vector] = op.ElementOps * elementOp,
                [Dram] = (op.DramReadBytes + op.DramWriteBytes) * dramPerByte,
                [Leakage] = op.Cycles * leakagePerCycle,
            };
            double weights = op.WeightSramReadBytes * weightRead + op.WeightSramWriteBytes * weightWrite;
            double activations = op.ActivationSramReadBytes * activationRead + op.ActivationSramWriteBytes * activationWrite;
            if (shared) parts[weightSram] = weights + activations;
            else
            {
                parts[weightSram] = weights;
                parts[activationSram] = activations;
            }
            ops.Add(new OpEnergy(op.Op, parts));
        }
        var perEvent = new Dictionary<string, double>
        {
            ["PE cycle (pJ)"] = pePerCycle,
            ["decoder cycle, all decoders (pJ)"] = decoderPerCycle,
            ["vector element op (pJ)"] = elementOp,
            [$"{weightSram} read byte (pJ)"] = weightRead,
            [$"{weightSram} write byte (pJ)"] = weightWrite,
            [$"{activationSram} read byte (pJ)"] = activationRead,
            [$"{activationSram} write byte (pJ)"] = activationWrite,
            ["DRAM byte (pJ)"] = dramPerByte,
            ["leakage per cycle (pJ)"] = leakagePerCycle,
        };
        return new EnergyReport(run, ops, perEvent, missing);
    }

    /// <summary>pJ per byte read and written: one word access of the buffer's width to one bank, spread over its bytes.</summary>
    private static (double Read, double Write) SramPerByte(BufferSpec buffer, CostLookup costs)
    {
        long bankBytes = buffer.CapacityBytes / buffer.Banks;
        double read = costs.EnergyPicoJoules("sram_read", buffer.WidthBits, bankBytes) / (buffer.WidthBits / 8.0);
        return (read, read * costs.Factor("sram_write_to_read"));
    }
}
