using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using HwSim.CostModels.Models;
using HwSim.Arch.Fast;
using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;
using HwSim.Cli.Plots;
using HwSim.Numerics.Registry;
using HwSim.Sim.Trace;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Tracing;
using Spectre.Console;

using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim simulate`: a traced LLM (prefill then decode) on an accelerator with the fast transaction-level model;
/// `--compare` runs several designs side by side; `--scalesim-config` + `--topology` reproduce SCALE-Sim's
/// COMPUTE_REPORT.csv. Results as a table, or `--format json|csv` (docs/schemas/simulate, compare, scalesim).
/// </summary>
public static class SimulateCommand
{
    public static Command Create(CliConsole console)
    {
        var workloadOptions = new WorkloadOptions();
        var design = new DesignOptions();
        var costOptions = new CostOptions();
        var outputOptions = new OutputOptions();
        var top = Options.AtLeast("--top", 0, 8, "How many of the slowest ops to list in the table.");
        var compare = new Option<string?>("--compare")
        {
            Description = "Comma-separated designs to run side by side (speedup normalized to the first); design:datatype or design:PREFILL/DECODE runs a datatype of its PE.",
        };
        var scaleSimConfig = new Option<FileInfo?>("--scalesim-config") { Description = "A SCALE-Sim .cfg; with --topology, prints COMPUTE_REPORT (and --out writes COMPUTE_REPORT.csv)." };
        var topology = new Option<FileInfo?>("--topology") { Description = "A SCALE-Sim topology CSV (conv or GEMM form)." };
        var fullEvents = new Option<bool>("--full-events")
        {
            Description = "Simulate every tile event by event instead of skipping exact repetitions (same results, slower; for checking).",
        };

        var trace = new Option<FileInfo?>("--trace")
        {
            Description = "Write a timeline of the run as Chrome trace-event JSON (open in Perfetto): array, vector unit, DMA engines, DRAM; buffer and bandwidth counters.",
        };
        var traceWindow = new Option<string?>("--trace-window") { Description = "With --trace: only cycles START:END of the run (END excluded)." };
        var traceSteps = Options.OptionalAtLeast("--trace-steps", 0, "With --trace: only prefill and the first N decode steps.");
        var plot = PlotOption.Create("latency and energy per design by phase (with --compare)");
        var command = new Command("simulate", "Simulate an LLM on an accelerator (cycles, latency, utilization, traffic, energy).");
        design.AddTo(command);
        foreach (Option option in (Option[])[top, compare, scaleSimConfig, topology, fullEvents, plot, trace, traceWindow, traceSteps]) command.Options.Add(option);
        workloadOptions.AddTo(command);
        costOptions.AddTo(command);
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var tracePath = parse.GetValue(trace);
            if (tracePath is null)
            {
                if (parse.GetValue(traceWindow) is not null) throw new UserInputException("option '--trace-window' needs '--trace'");
                if (parse.GetValue(traceSteps) is not null) throw new UserInputException("option '--trace-steps' needs '--trace'");
            }
            else if (parse.GetValue(scaleSimConfig) is not null || parse.GetValue(compare) is not null)
            {
                throw new UserInputException("option '--trace' does not apply with --compare or --scalesim-config");
            }
            if (parse.GetValue(scaleSimConfig) is { } cfg)
            {
                const string mode = "with --scalesim-config (the .cfg and topology describe the run)";
                OptionRules.Reject(parse, mode, [design.Arch, design.Weights, design.Plan, top, compare, fullEvents, costOptions.Node, costOptions.Vdd, costOptions.Costs, .. workloadOptions.All]);
                var csv = parse.GetValue(topology) ?? throw new UserInputException("option '--scalesim-config' needs '--topology'");
                if (outputOptions.OutOf(parse) is { } outFile) AtomicFile.Validate(outFile.FullName, "--out");
                return ScaleSim(console, parse, outputOptions, cfg, csv);
            }
            if (parse.GetValue(topology) is not null) throw new UserInputException("option '--topology' needs '--scalesim-config'");
            // The cost setting prices energy and area, which the JSON and CSV results carry and the tables do not.
            if (outputOptions.FormatOf(parse) == OutputFormat.Table)
                OptionRules.Reject(parse, "with the table (energy and area are in --format json or csv)", costOptions.Node, costOptions.Vdd, costOptions.Costs);
            var costModel = costOptions.Read(parse);
            var costs = costModel.Lookup();
            if (parse.GetValue(compare) is { } list)
            {
                design.RejectWith(parse, "--compare");
                OptionRules.Reject(parse, "with --compare", top);
                string? plotPath = PlotOption.PathOf(parse, plot);
                var workload = workloadOptions.Trace(parse);
                var runs = CompareTable.Run(workload, list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), parse.GetValue(fullEvents));
                var inputs = new ProvenanceInputs().Add("workload", WorkloadOptions.ProvenanceOf(workload))
                    .Add("designs", new JsonArray([.. runs.Select(r => (JsonNode?)new JsonObject
                    {
                        ["label"] = r.Label,
                        ["design"] = JsonSerializer.SerializeToNode(r.Result.Spec, StrictJson.Options),
                    })]));
                CostOptions.AddProvenance(inputs, costModel);
                outputOptions.Write(parse, console, table => CompareTable.Write(table, workload, runs), format =>
                {
                    var result = CompareResult.Of(workload, runs, costs);
                    var provenance = Provenance.Of(inputs);
                    return ResultFile.Document(format, provenance, result);
                });
                if (plotPath is not null) ComparePlot.Write(runs, workload, plotPath);
                return HwSimCli.ExitOk;
            }
            if (parse.GetValue(plot) is not null) throw new UserInputException("option '--plot' applies only with --compare");
            if (!outputOptions.ShowsTable(parse)) OptionRules.Reject(parse, $"with --format {outputOptions.FormatOf(parse).ToString().ToLowerInvariant()} (every op is listed)", top);
            var traced = workloadOptions.Trace(parse);
            var spec = design.Spec(parse);
            var formats = design.Formats(parse, spec, traced);
            RunResult? result = null;
            using (var progress = new ProgressReporter("simulating op instances", FastSimulator.OpInstances(traced), outputOptions.QuietOf(parse), console.ErrorWriter))
            {
                if (tracePath is null)
                {
                    result = FastSimulator.Run(spec, traced, formats, parse.GetValue(fullEvents), progress.Advance);
                }
                else
                {
                    var (start, end) = Window(parse.GetValue(traceWindow));
                    AtomicFile.Write(tracePath.FullName, stream =>
                    {
                        using var writer = new ChromeTraceWriter(stream);
                        result = FastSimulator.Run(spec, traced, formats, parse.GetValue(fullEvents), progress.Advance,
                            new RunTrace(writer, start, end, parse.GetValue(traceSteps)));
                    });
                }
            }
            var run = result!;
            outputOptions.Write(parse, console, table => Print(table, run, (int)Math.Min(parse.GetValue(top), 1000)), format =>
            {
                var result = SimulateResult.Of(run, EnergyModel.Of(run, costs), AreaModel.Of(spec, costs), WeightsText(run.Formats));
                var inputs = new ProvenanceInputs().Add("workload", WorkloadOptions.ProvenanceOf(traced));
                design.AddProvenance(parse, inputs, spec);
                CostOptions.AddProvenance(inputs, costModel);
                var provenance = Provenance.Of(inputs);
                return ResultFile.Document(format, provenance, result);
            });
            return HwSimCli.ExitOk;
        });
        return command;
    }

    /// <summary>The cycles of <c>--trace-window START:END</c> (the whole run without it).</summary>
    private static (long Start, long End) Window(string? text)
    {
        if (text is null) return (0, long.MaxValue);
        var parts = text.Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long start)
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long end))
            throw new UserInputException($"option '--trace-window' expects START:END in cycles (non-negative integers), got '{text}'");
        if (end <= start) throw new UserInputException($"option '--trace-window': END must be greater than START, got '{text}'");
        return (start, end);
    }

    /// <summary>
    /// SCALE-Sim mode: the COMPUTE_REPORT rows as a table or --format json/csv on standard output; --out writes
    /// COMPUTE_REPORT.csv in SCALE-Sim's own form (its header and columns, so SCALE-Sim's tools read it unchanged).
    /// </summary>
    private static int ScaleSim(CliConsole console, ParseResult parse, OutputOptions output, FileInfo cfg, FileInfo csv)
    {
        var spec = ScaleSimConfig.Read(new StringReader(Options.ReadText(cfg.FullName, "--scalesim-config")), cfg.Name);
        var layers = ScaleSimTopology.Read(new StringReader(Options.ReadText(csv.FullName, "--topology")), csv.Name);
        var rows = ComputeReport.Of(spec, layers);
        var format = parse.GetValue(output.Format);
        if (format == OutputFormat.Table)
        {
            var table = new Table().Title($"COMPUTE_REPORT ({spec.Array.Rows}x{spec.Array.Cols} {spec.Array.Dataflow.ToString().ToLowerInvariant()})")
                .AddColumn("layer").AddColumn(new TableColumn("total cycles").RightAligned()).AddColumn(new TableColumn("stall").RightAligned())
                .AddColumn(new TableColumn("overall util %").RightAligned()).AddColumn(new TableColumn("mapping eff %").RightAligned())
                .AddColumn(new TableColumn("compute util %").RightAligned());
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Layer), Count(r.TotalCycles), Count(r.StallCycles), Fixed(r.OverallUtilPercent), Fixed(r.MappingEfficiencyPercent), Fixed(r.ComputeUtilPercent));
            console.Out.Write(table);
        }
        else
        {
            var result = ScaleSimResult.Of(spec, rows);
            var provenance = Provenance.Of(new ProvenanceInputs().Add("design", spec, StrictJson.Options).AddFile("topology", csv.FullName));
            console.Writer.Write(ResultFile.Document(format, provenance, result));
        }
        if (output.OutOf(parse) is { } file) AtomicFile.WriteText(file.FullName, ComputeReport.ToCsv(rows));
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
    internal static string WeightsText(RunFormats formats)
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
