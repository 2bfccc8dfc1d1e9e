using System.CommandLine;
using System.Text.Json;
using HwSim.Cli.Results;
using System.Globalization;
using HwSim.Arch.Demo;
using HwSim.Sim.Trace;
using Spectre.Console;

using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>`hwsim demo`: the FIFO pipeline demo of the discrete-event kernel.</summary>
public static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var items = Options.AtLeast("--items", 1, 1000, "Items the producer makes.");
        var producerCycles = Options.AtLeast("--producer-cycles", 1, 2, "Cycles the producer needs per item.");
        var consumerCycles = Options.AtLeast("--consumer-cycles", 1, 3, "Cycles the consumer needs per item.");
        var depth = Options.AtLeast("--fifo-depth", 1, 4, "Entries of the FIFO between them.");
        var clockMhz = Options.AtLeast("--clock-mhz", 1, 1000, "Clock frequency in MHz.");
        var cycles = Options.OptionalAtLeast("--cycles", 1, "Stop after this many cycles (default: run to completion).");
        var trace = new Option<FileInfo?>("--trace") { Description = "Write a Chrome trace-event JSON file (open in Perfetto)." };
        var outputOptions = new OutputOptions();

        var command = new Command("demo", "Run the built-in FIFO pipeline demo (producer -> FIFO -> consumer).")
        {
            items, producerCycles, consumerCycles, depth, clockMhz, cycles, trace,
        };
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(trace) is { } tracePathToCheck) AtomicFile.Validate(tracePathToCheck.FullName, "--trace");
            if (parse.GetValue(clockMhz) > 1_000_000)
                throw new UserInputException("option '--clock-mhz' must be at most 1000000 (1 THz)");
            var spec = new FifoPipelineSpec(
                parse.GetValue(items), parse.GetValue(producerCycles), parse.GetValue(consumerCycles),
                checked((int)Math.Min(parse.GetValue(depth), int.MaxValue)), parse.GetValue(clockMhz) * 1_000_000,
                parse.GetValue(cycles) ?? long.MaxValue);
            if (spec.Validate() is { } problem)
                throw new UserInputException(problem.Replace(nameof(spec.Items), "--items").Replace(nameof(spec.ProducerCyclesPerItem), "--producer-cycles")
                    .Replace(nameof(spec.ConsumerCyclesPerItem), "--consumer-cycles").Replace(nameof(spec.FifoDepth), "--fifo-depth").Replace(nameof(spec.MaxCycles), "--cycles"));
            var tracePath = parse.GetValue(trace);
            FifoPipelineResult result;
            if (tracePath is null)
            {
                result = FifoPipeline.Run(spec);
            }
            else
            {
                FifoPipelineResult? traced = null;
                AtomicFile.Write(tracePath.FullName, stream =>
                {
                    using var writer = new ChromeTraceWriter(stream);
                    traced = FifoPipeline.Run(spec, writer);
                });
                result = traced!;
            }
            outputOptions.Write(parse, console, table => Print(table, result), format =>
            {
                var provenance = Provenance.Of(new ProvenanceInputs().Add("demo", JsonSerializer.SerializeToNode(spec, ResultFile.JsonOptions)));
                var data = DemoResult.Of(result);
                return format == OutputFormat.Json
                    ? ResultFile.Json(Schema, SchemaVersion, provenance, data)
                    : ResultFile.Csv(["quantity", "value"], JsonSerializer.SerializeToNode(data, ResultFile.JsonOptions)!.AsObject()
                        .Select(p => (IReadOnlyList<object?>)[p.Key, p.Value!.ToJsonString()]), provenance);
            });
            return HwSimCli.ExitOk;
        });
        return command;
    }

    /// <summary>The JSON schema of `--format json` (docs/schemas/demo.schema.json).</summary>
    public const string Schema = "demo";
    public const int SchemaVersion = 1;

    /// <summary>The run as data: counts in cycles of the pipeline clock, simulated time in ps.</summary>
    public sealed record DemoResult(long Items, long ItemsConsumed, bool Completed, long TotalCycles, long SimulatedPicoseconds, double ItemsPerCycle,
        long ProducerBusyCycles, long ProducerStallCycles, long ConsumerBusyCycles, long ConsumerStarvedCycles, long RefusedPushes, long KernelEvents)
    {
        public static DemoResult Of(FifoPipelineResult r) => new(r.Spec.Items, r.ItemsConsumed, r.Completed, r.TotalCycles, r.Simulation.EndTimePs,
            r.ItemsPerCycle, r.ProducerBusyCycles, r.ProducerStallCycles, r.ConsumerBusyCycles, r.ConsumerStarvedCycles, r.RefusedPushes,
            r.Simulation.EventsProcessed);
    }

    private static void Print(IAnsiConsole console, FifoPipelineResult result)
    {
        var spec = result.Spec;
        var nanoseconds = result.Simulation.EndTimePs / 1000m;
        var table = new Table().Title("FIFO pipeline").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("producer / consumer cycles per item", $"{spec.ProducerCyclesPerItem} / {spec.ConsumerCyclesPerItem}");
        table.AddRow("FIFO depth", Count(spec.FifoDepth));
        table.AddRow("items consumed", $"{Count(result.ItemsConsumed)} of {Count(spec.Items)}{(result.Completed ? "" : " (stopped by --cycles)")}");
        table.AddRow("total cycles", Count(result.TotalCycles));
        table.AddRow("simulated time (ns)", nanoseconds.ToString("N3", CultureInfo.InvariantCulture));
        table.AddRow("throughput (items/cycle)", result.ItemsPerCycle.ToString("F4", CultureInfo.InvariantCulture));
        table.AddRow("bound 1/max(P,C) (items/cycle)",
            (1.0 / Math.Max(spec.ProducerCyclesPerItem, spec.ConsumerCyclesPerItem)).ToString("F4", CultureInfo.InvariantCulture));
        table.AddRow("producer busy / stall cycles", $"{Count(result.ProducerBusyCycles)} / {Count(result.ProducerStallCycles)}");
        table.AddRow("consumer busy / starved cycles", $"{Count(result.ConsumerBusyCycles)} / {Count(result.ConsumerStarvedCycles)}");
        table.AddRow("pushes refused (FIFO full)", Count(result.RefusedPushes));
        table.AddRow("kernel events", Count(result.Simulation.EventsProcessed));
        console.Write(table);
    }
}
