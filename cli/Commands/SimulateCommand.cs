using HwSim.Arch.Plans;
using System.CommandLine;
using System.Globalization;
using HwSim.Arch.Fast;
using HwSim.Arch.ScaleSim;
using HwSim.Arch.Spec;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Models;
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
    /// <summary>BitMoD's published average speedups (Chen et al., HPCA 2025, Sec. V, six LLMs).</summary>
    private static readonly Dictionary<string, string> PaperSpeedup = new()
    {
        ["ant"] = "1.69x (disc. 1.72x, gen. 1.66x)",
        ["ant-gen"] = "1.69x (disc. 1.72x, gen. 1.66x)",
        ["olive"] = "1.48x (disc. 1.56x, gen. 1.39x)",
        ["olive-gen"] = "1.48x (disc. 1.56x, gen. 1.39x)",
    };

    public static Command Create(CliConsole console)
    {
        var workloadOptions = new WorkloadOptions();
        var arch = new Option<string>("--arch") { Description = $"Preset ({string.Join(", ", Presets.Names)}) or accelerator JSON file.", DefaultValueFactory = _ => "bitmod" };
        var weights = new Option<string?>("--weights") { Description = "Weight datatype (default: the accelerator's defaultWeights)." };
        var top = Options.AtLeast("--top", 0, 8, "How many of the slowest ops to list.");
        var compare = new Option<string?>("--compare") { Description = "Comma-separated designs to run side by side (speedup normalized to the first)." };
        var scaleSimConfig = new Option<FileInfo?>("--scalesim-config") { Description = "A SCALE-Sim .cfg; with --topology, prints and writes COMPUTE_REPORT.csv." };
        var topology = new Option<FileInfo?>("--topology") { Description = "A SCALE-Sim topology CSV (conv or GEMM form)." };
        var output = new Option<FileInfo?>("--out") { Description = "Where --scalesim-config writes COMPUTE_REPORT.csv (default: print only)." };
        var plan = new Option<string?>("--plan") { Description = "A precision plan (JSON, from hwsim optimize): per-op weight datatypes." };

        var command = new Command("simulate", "Simulate an LLM on an accelerator (cycles, latency, utilization, traffic).")
        {
            arch, weights, top, compare, scaleSimConfig, topology, output, plan,
        };
        workloadOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(scaleSimConfig) is { } cfg)
            {
                var csv = parse.GetValue(topology) ?? throw new UserInputException("option '--scalesim-config' needs '--topology'");
                return ScaleSim(console, cfg, csv, parse.GetValue(output));
            }
            if (parse.GetValue(topology) is not null) throw new UserInputException("option '--topology' needs '--scalesim-config'");
            var workload = workloadOptions.Trace(parse);
            if (parse.GetValue(compare) is { } list)
            {
                Compare(console.Out, workload, list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                return HwSimCli.ExitOk;
            }
            var spec = LoadArch(parse.GetValue(arch)!);
            var formats = Formats(spec, parse.GetValue(weights));
            if (parse.GetValue(plan) is { } planPath)
            {
                if (parse.GetValue(weights) is not null) throw new UserInputException("options '--plan' and '--weights' both choose the weights; give one");
                formats = FromPlan(spec, PrecisionPlanJson.Load(planPath));
            }
            var result = FastSimulator.Run(spec, workload, formats);
            Print(console.Out, result, (int)Math.Min(parse.GetValue(top), 1000));
            return HwSimCli.ExitOk;
        });
        return command;
    }

    internal static AcceleratorSpec LoadArch(string name)
    {
        if (Presets.Find(name) is { } preset) return preset;
        if (File.Exists(name)) return AcceleratorSpecJson.Load(name);
        throw new UserInputException($"--arch: '{name}' is neither a preset ({string.Join(", ", Presets.Names)}) nor a file");
    }

    private static RunFormats FromPlan(AcceleratorSpec spec, PrecisionPlan plan)
    {
        try
        {
            return RunFormats.FromPlan(spec, plan);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }
    }

    internal static RunFormats Formats(AcceleratorSpec spec, string? weights)
    {
        try
        {
            return RunFormats.Default(spec, weights);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }
    }

    private static int ScaleSim(CliConsole console, FileInfo cfg, FileInfo csv, FileInfo? output)
    {
        AcceleratorSpec spec;
        using (var reader = cfg.OpenText()) spec = ScaleSimConfig.Read(reader, cfg.Name);
        Workload layers;
        using (var reader = csv.OpenText()) layers = ScaleSimTopology.Read(reader, csv.Name);
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
        string weights = result.Formats.PerOp is { } perOp
            ? "plan: " + string.Join(", ", perOp.Values.GroupBy(d => d.Name).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"))
            : $"{result.Formats.WeightBytes.Name} ({result.Formats.WeightBytes.EffectiveBits:F4} bits)";
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

    private static void Compare(IAnsiConsole console, Workload workload, IReadOnlyList<string> designs)
    {
        if (designs.Count == 0) throw new UserInputException("option '--compare' needs at least one design");
        string model = workload.Model!.Name;
        var results = designs.Select(name =>
        {
            var spec = LoadArch(name);
            var formats = RunFormats.Default(spec);
            var family = formats.Weights.Family;
            if (PaperWeightBits.For(family, model) is { } bits) formats = formats with { WeightStorage = bits };
            return FastSimulator.Run(spec, workload, formats);
        }).ToList();
        var baseline = results[0];
        var bitmod = results.FirstOrDefault(r => r.Formats.Weights.Family == "bitmod");
        var table = new Table().Title($"{Markup.Escape(workload.Name)}: speedup normalized to {Markup.Escape(baseline.Spec.Name)}")
            .AddColumn("design").AddColumn("array").AddColumn("weight bits").AddColumn(new TableColumn("prefill cycles").RightAligned())
            .AddColumn(new TableColumn("decode cycles").RightAligned()).AddColumn(new TableColumn("total ms").RightAligned())
            .AddColumn(new TableColumn("speedup").RightAligned()).AddColumn(new TableColumn("BitMoD over it").RightAligned())
            .AddColumn("paper (BitMoD over it)");
        foreach (var r in results)
        {
            long cycles = r.PrefillCycles + r.DecodeCycles;
            string over = bitmod is null || ReferenceEquals(bitmod, r) ? "" : $"{(double)cycles / (bitmod.PrefillCycles + bitmod.DecodeCycles):F2}x";
            table.AddRow(Markup.Escape(r.Spec.Name), $"{r.Spec.Array.Rows}x{r.Spec.Array.Cols}",
                r.Formats.WeightBytes.EffectiveBits.ToString("F4", CultureInfo.InvariantCulture),
                Count(r.PrefillCycles), Count(r.DecodeCycles), Fixed(r.Milliseconds(cycles)),
                $"{(double)(baseline.PrefillCycles + baseline.DecodeCycles) / cycles:F2}x", over,
                Markup.Escape(PaperSpeedup.GetValueOrDefault(r.Spec.Name, "")));
        }
        console.Write(table);
    }

}
