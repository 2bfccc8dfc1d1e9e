using System.CommandLine;
using HwSim.Arch.Fast;
using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Tracing;
using Spectre.Console;

using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim simulate`: a traced LLM (prefill then decode) on an accelerator with the fast transaction-level model;
/// `--compare` runs several designs side by side; `--scalesim-config` + `--topology` reproduce SCALE-Sim's
/// COMPUTE_REPORT.csv.
/// </summary>
public static class SimulateCommand
{
    public static Command Create(CliConsole console)
    {
        var workloadOptions = new WorkloadOptions();
        var design = new DesignOptions();
        var top = Options.AtLeast("--top", 0, 8, "How many of the slowest ops to list.");
        var compare = new Option<string?>("--compare")
        {
            Description = "Comma-separated designs to run side by side (speedup normalized to the first); design:datatype or design:PREFILL/DECODE runs a datatype of its PE.",
        };
        var scaleSimConfig = new Option<FileInfo?>("--scalesim-config") { Description = "A SCALE-Sim .cfg; with --topology, prints and writes COMPUTE_REPORT.csv." };
        var topology = new Option<FileInfo?>("--topology") { Description = "A SCALE-Sim topology CSV (conv or GEMM form)." };
        var output = new Option<FileInfo?>("--out") { Description = "Where --scalesim-config writes COMPUTE_REPORT.csv (default: print only)." };
        var fullEvents = new Option<bool>("--full-events")
        {
            Description = "Simulate every tile event by event instead of skipping exact repetitions (same results, slower; for checking).",
        };

        var command = new Command("simulate", "Simulate an LLM on an accelerator (cycles, latency, utilization, traffic).");
        design.AddTo(command);
        foreach (Option option in (Option[])[top, compare, scaleSimConfig, topology, output, fullEvents]) command.Options.Add(option);
        workloadOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(scaleSimConfig) is { } cfg)
            {
                var csv = parse.GetValue(topology) ?? throw new UserInputException("option '--scalesim-config' needs '--topology'");
                if (parse.GetValue(output) is { } outFile) AtomicFile.Validate(outFile.FullName, "--out");
                return ScaleSim(console, cfg, csv, parse.GetValue(output));
            }
            if (parse.GetValue(topology) is not null) throw new UserInputException("option '--topology' needs '--scalesim-config'");
            if (parse.GetValue(compare) is { } list)
            {
                design.RejectWith(parse, "--compare");
                if (parse.GetResult(top) is { Implicit: false }) throw new UserInputException("option '--top' does not apply with --compare");
                var workload = workloadOptions.Trace(parse);
                CompareTable.Write(console.Out, workload, CompareTable.Run(workload, list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), parse.GetValue(fullEvents)));
                return HwSimCli.ExitOk;
            }
            var traced = workloadOptions.Trace(parse);
            var spec = design.Spec(parse);
            var result = FastSimulator.Run(spec, traced, design.Formats(parse, spec, traced), parse.GetValue(fullEvents));
            Print(console.Out, result, (int)Math.Min(parse.GetValue(top), 1000));
            return HwSimCli.ExitOk;
        });
        return command;
    }

    private static int ScaleSim(CliConsole console, FileInfo cfg, FileInfo csv, FileInfo? output)
    {
        var spec = ScaleSimConfig.Read(new StringReader(Options.ReadText(cfg.FullName, "--scalesim-config")), cfg.Name);
        var layers = ScaleSimTopology.Read(new StringReader(Options.ReadText(csv.FullName, "--topology")), csv.Name);
        var rows = ComputeReport.Of(spec, layers);
        var table = new Table().Title($"COMPUTE_REPORT ({spec.Array.Rows}x{spec.Array.Cols} {spec.Array.Dataflow.ToString().ToLowerInvariant()})")
            .AddColumn("layer").AddColumn(new TableColumn("total cycles").RightAligned()).AddColumn(new TableColumn("stall").RightAligned())
            .AddColumn(new TableColumn("overall util %").RightAligned()).AddColumn(new TableColumn("mapping eff %").RightAligned())
            .AddColumn(new TableColumn("compute util %").RightAligned());
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Layer), Count(r.TotalCycles), Count(r.StallCycles), Fixed(r.OverallUtilPercent), Fixed(r.MappingEfficiencyPercent), Fixed(r.ComputeUtilPercent));
        console.Out.Write(table);
        if (output is not null)
        {
            string text = ComputeReport.ToCsv(rows);
            AtomicFile.Write(output.FullName, stream => { using var writer = new StreamWriter(stream); writer.Write(text); });
        }
        return HwSimCli.ExitOk;
    }

    private static void Print(IAnsiConsole console, RunResult result, int top)
    {
        var w = result.Workload;
        long prefill = result.PrefillCycles, decode = result.DecodeCycles;
        var table = new Table().Title($"{Markup.Escape(w.Name)} on {Markup.Escape(result.Spec.Name)}")
            .AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("array", $"{result.Spec.Array.Rows}x{result.Spec.Array.Cols} {result.Spec.Array.Dataflow.ToString().ToLowerInvariant()} {result.Spec.Array.Interconnect.ToString().ToLowerInvariant()}, {result.Spec.ClockMhz} MHz");
        string weights = WeightsText(result.Formats);
        table.AddRow("weights / KV cache", $"{Markup.Escape(weights)} / {result.Formats.KvCache.Name}");
        table.AddRow("prefill cycles (ms)", $"{Count(prefill)} ({Fixed(result.Milliseconds(prefill))})");
        table.AddRow("decode cycles (ms)", $"{Count(decode)} ({Fixed(result.Milliseconds(decode))})");
        table.AddRow("total cycles incl. final stores (ms)", $"{Count(result.TotalCycles)} ({Fixed(result.Milliseconds(result.TotalCycles))})");
        if (w.Prompt > 0 && prefill > 0) table.AddRow("prefill tokens/s", Fixed(w.Batch * (double)w.Prompt / (result.Milliseconds(prefill) / 1000)));
        if (w.DecodeSteps > 0) table.AddRow("decode tokens/s", Fixed(w.Batch * (double)w.DecodeSteps / (result.Milliseconds(decode) / 1000)));
        table.AddRow("array utilization prefill / decode", $"{Percent(result.ArrayUtilization(Phase.Prefill))} / {Percent(result.ArrayUtilization(Phase.Decode))}");
        long compute = result.Sum(o => o.ComputeCycles), all = result.Sum(o => o.Cycles);
        table.AddRow("compute / stall cycles", $"{Count(compute)} / {Count(all - compute)}");
        // RunResult.Components order: compute unit, DMA engines, buffer slots, DRAM data bus.
        table.AddRow("busy % compute / DMA / slots / DRAM", string.Join(" / ", result.Components.Select(c => Fixed(100 * c.Utilization, 1))));
        table.AddRow("DRAM read / write bytes", $"{Count(result.Sum(o => o.DramReadBytes))} / {Count(result.Sum(o => o.DramWriteBytes))}");
        table.AddRow("SRAM read / write bytes", $"{Count(result.Sum(o => o.SramReadBytes))} / {Count(result.Sum(o => o.SramWriteBytes))}");
        table.AddRow("kernel events", Count(result.EventsProcessed));
        console.Write(table);
        if (top == 0) return;
        var slowest = new Table().Title("slowest ops (summed over decode steps)").AddColumn("op").AddColumn("phase")
            .AddColumn(new TableColumn("cycles").RightAligned()).AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn("stall").RightAligned()).AddColumn(new TableColumn("util").RightAligned())
            .AddColumn(new TableColumn("DRAM bytes").RightAligned());
        double pes = (double)result.Spec.Array.Rows * result.Spec.Array.Cols;
        foreach (var op in result.Ops.OrderByDescending(o => o.Cycles).ThenBy(o => o.Op.Id).Take(top))
            slowest.AddRow(Markup.Escape(op.Op.Name), op.Op.Phase.ToString().ToLowerInvariant(), Count(op.Cycles),
                Percent(all == 0 ? 0 : (double)op.Cycles / all), Percent(op.Cycles == 0 ? 0 : (double)op.StallCycles / op.Cycles),
                Percent(op.Cycles == 0 ? 0 : op.BusyPeCycles / (pes * op.Cycles)), Count(op.DramReadBytes + op.DramWriteBytes));
        console.Write(slowest);
    }

    /// <summary>
    /// The weights of a run: one datatype with its stored bits when both phases run it, else each phase's; a plan's
    /// datatypes with how many ops run each.
    /// </summary>
    private static string WeightsText(RunFormats formats)
    {
        static string Bits(PhaseWeights w) => $"{w.Bytes.Name} ({w.Bytes.EffectiveBits:F4} bits)";
        if (formats.PerOp is not { } perOp)
            return formats.SamePhases ? Bits(formats.Prefill) : $"prefill {Bits(formats.Prefill)}, decode {Bits(formats.Decode)}";
        static string Mix(IEnumerable<WeightDatatype> types) => types.Any()
            ? string.Join(", ", types.GroupBy(d => d.Name).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"))
            : "none";
        var prefill = perOp.Where(p => p.Key.Phase == Phase.Prefill).OrderBy(p => (p.Key.Layer, p.Key.Op)).ToList();
        var decode = perOp.Where(p => p.Key.Phase == Phase.Decode).OrderBy(p => (p.Key.Layer, p.Key.Op)).ToList();
        bool same = prefill.Select(p => (p.Key.Layer, p.Key.Op, p.Value)).SequenceEqual(decode.Select(p => (p.Key.Layer, p.Key.Op, p.Value)));
        return same ? "plan: " + Mix(prefill.Select(p => p.Value))
            : $"plan: prefill {Mix(prefill.Select(p => p.Value))}; decode {Mix(decode.Select(p => p.Value))}";
    }
}
