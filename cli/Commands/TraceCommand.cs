using System.CommandLine;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using System.Globalization;
using System.Text;
using HwSim.Cli.Plots;
using HwSim.Numerics.Formats;
using HwSim.Workloads.Analysis;
using HwSim.Workloads.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;
using Spectre.Console;

using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>`hwsim trace`: traces an LLM (or imports a SCALE-Sim topology) and summarizes the workload.</summary>
public static class TraceCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Option<string>("--model") { Description = "Built-in model name.", DefaultValueFactory = _ => "llama-2-7b" };
        var config = new Option<FileInfo?>("--config") { Description = "A Hugging Face config.json to trace instead of --model." };
        var topology = new Option<FileInfo?>("--topology") { Description = "A SCALE-Sim topology CSV (conv or GEMM form) to import instead." };
        var batch = Options.AtLeast("--batch", 1, 1, "Sequences in the batch.");
        var prompt = Options.AtLeast("--prompt", 1, 2048, "Prompt length P (prefill tokens per sequence).");
        var generate = Options.AtLeast("--generate", 0, 128, "Generated tokens T (decode steps, KV length P..P+T-1).");
        var weights = new Option<string>("--weights") { Description = "Weight format (fp16, bf16, fp8, intN, intN-gG).", DefaultValueFactory = _ => "fp16" };
        var activations = new Option<string>("--activations") { Description = "Activation format.", DefaultValueFactory = _ => "fp16" };
        var kvCache = new Option<string>("--kv-cache") { Description = "KV-cache format.", DefaultValueFactory = _ => "fp16" };
        var peak = Options.AtLeast("--peak-macs", 1, 4096, "Roofline: peak MACs per cycle.");
        var bandwidth = Options.AtLeast("--bytes-per-cycle", 1, 64, "Roofline: memory bytes per cycle.");
        var output = new Option<FileInfo?>("--out") { Description = "Write the trace as JSON Lines." };
        var gemmCsv = new Option<FileInfo?>("--gemm-csv") { Description = "Write the prefill GEMMs in SCALE-Sim's GEMM CSV form." };
        var outputOptions = new OutputOptions(resultFile: false);

        var plot = PlotOption.Create("the roofline with the ops of prefill and the first decode step");
        var command = new Command("trace", "Trace an LLM's prefill and decode into an op graph and summarize it.")
        {
            model, config, topology, batch, prompt, generate, weights, activations, kvCache, peak, bandwidth, output, gemmCsv, plot,
        };
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string? plotPath = PlotOption.PathOf(parse, plot);
            if (parse.GetValue(output) is { } outPath) AtomicFile.Validate(outPath.FullName, "--out");
            if (parse.GetValue(gemmCsv) is { } csvPath) AtomicFile.Validate(csvPath.FullName, "--gemm-csv");
            var precision = new Precision(Format(parse.GetValue(weights)!, "--weights"),
                Format(parse.GetValue(activations)!, "--activations"), Format(parse.GetValue(kvCache)!, "--kv-cache"));
            Workload workload;
            if (parse.GetValue(topology) is { } csv)
            {
                OptionRules.Reject(parse, "with --topology (the topology describes the layers)", model, config, batch, prompt, generate);
                workload = ScaleSimTopology.Read(new StringReader(Options.ReadText(csv.FullName, "--topology")), csv.Name) with { Precision = precision };
            }
            else
            {
                if (parse.GetValue(config) is not null) OptionRules.Reject(parse, "with --config (the config.json describes the model)", model);
                var modelConfig = parse.GetValue(config) is { } file
                    ? HuggingFaceConfigReader.ReadFile(Options.ExistingFile(file.FullName, "--config")!)
                    : ModelZoo.Get(parse.GetValue(model)!);
                workload = WorkloadOptions.Traced(new TraceRequest(modelConfig, Options.ToInt(parse.GetValue(batch), "--batch"),
                    Options.ToInt(parse.GetValue(prompt), "--prompt"), Options.ToInt(parse.GetValue(generate), "--generate"), precision), wholeRun: false);
            }
            if (parse.GetValue(output) is { } outFile) AtomicFile.Write(outFile.FullName, s => TraceJsonl.Write(workload, s));
            if (parse.GetValue(gemmCsv) is { } csvFile)
                AtomicFile.Write(csvFile.FullName, s => s.Write(Encoding.UTF8.GetBytes(ScaleSimTopology.WriteGemm(workload.Prefill))));
            var machine = new RooflineMachine(parse.GetValue(peak), parse.GetValue(bandwidth));
            if (plotPath is not null) RooflinePlot.Write(workload, machine, plotPath);
            try
            {
                var format = outputOptions.FormatOf(parse);
                if (format == OutputFormat.Table)
                {
                    Print(console.Out, workload, machine);
                    return HwSimCli.ExitOk;
                }
                var provenance = Provenance.Of(new ProvenanceInputs().Add("workload", WorkloadOptions.ProvenanceOf(workload))
                    .Add("machine", new JsonObject { ["peakMacsPerCycle"] = machine.PeakMacsPerCycle, ["bytesPerCycle"] = machine.BytesPerCycle }));
                var result = TraceResult.Of(workload, machine);
                console.Writer.Write(ResultFile.Document(format, provenance, result));
            }
            catch (OverflowException)
            {
                // Decode totals are Int128 sums, but an op's count at one KV length must fit a 64-bit integer.
                throw new UserInputException("the workload's counts exceed 64-bit integers; use a smaller --batch, --prompt or --generate");
            }
            return HwSimCli.ExitOk;
        });
        return command;
    }

    private static StorageFormat Format(string text, string option)
    {
        try
        {
            return StorageFormat.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UserInputException($"option '{option}': {e.Message}");
        }
    }


    private static void Print(IAnsiConsole console, Workload workload, RooflineMachine machine)
    {
        var summary = WorkloadSummary.Of(workload);
        var table = new Table().Title(workload.Name).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("parameters", Count(summary.Parameters));
        table.AddRow($"weight bytes ({workload.Precision.Weights})", Count(summary.WeightBytes));
        if (workload.Model is not null) table.AddRow($"KV-cache bytes per token ({workload.Precision.KvCache})", Count(summary.KvCacheBytesPerToken));
        table.AddRow("prefill ops / MACs", $"{summary.PrefillOps:N0} / {Count(summary.PrefillMacs)}");
        table.AddRow("prefill bytes moved", Count(summary.PrefillBytes));
        if (workload.DecodeSteps > 0)
        {
            table.AddRow("decode steps (KV length)", $"{workload.DecodeSteps:N0} ({workload.FirstDecodeKv}..{workload.FirstDecodeKv + workload.DecodeSteps - 1})");
            table.AddRow("decode ops per step / total MACs", $"{summary.DecodeOpsPerStep:N0} / {Count(summary.DecodeMacs)}");
            table.AddRow("decode bytes moved", Count(summary.DecodeBytes));
        }
        console.Write(table);
        console.Write(RooflineTable(workload, machine));
    }

    /// <summary>Per op kind: MACs, bytes, intensity and bound in prefill and in the first decode step.</summary>
    private static Table RooflineTable(Workload workload, RooflineMachine machine)
    {
        var table = new Table()
            .Title($"roofline: {machine.PeakMacsPerCycle} MACs/cycle, {machine.BytesPerCycle} B/cycle (ridge {machine.RidgeMacsPerByte:F1} MACs/B)")
            .AddColumn("phase").AddColumn("op kind").AddColumn(new TableColumn("ops").RightAligned())
            .AddColumn(new TableColumn("MACs").RightAligned()).AddColumn(new TableColumn("bytes").RightAligned())
            .AddColumn(new TableColumn("MACs/B").RightAligned()).AddColumn("bound");
        var phases = new List<(string, IReadOnlyList<TraceOp>, long)> { ("prefill", workload.Prefill, 0) };
        if (workload.DecodeSteps > 0) phases.Add(($"decode kv={workload.FirstDecodeKv}", workload.Decode, workload.FirstDecodeKv));
        foreach (var (phase, ops, kv) in phases)
        {
            foreach (var group in ops.Select(o => Roofline.Classify(o, kv, workload.Precision, machine)).GroupBy(r => r.Op.Kind))
            {
                long macs = group.Sum(r => r.Macs), bytes = group.Sum(r => r.Bytes);
                int computeBound = group.Count(r => r.Bound == Bound.Compute);
                table.AddRow(phase, group.Key.ToString(), group.Count().ToString("N0", CultureInfo.InvariantCulture),
                    Count(macs), Count(bytes), bytes == 0 ? "-" : ((double)macs / bytes).ToString("F2", CultureInfo.InvariantCulture),
                    computeBound == group.Count() ? "compute" : computeBound == 0 ? "memory" : $"{computeBound} compute");
            }
        }
        return table;
    }
}
