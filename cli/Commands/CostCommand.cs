using System.CommandLine;
using HwSim.Cli.Results;
using HwSim.Arch.Fast;
using HwSim.CostModels;
using HwSim.CostModels.Models;
using HwSim.Workloads.Tracing;
using Spectre.Console;
using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim cost --arch NAME`: the design's area by component, and the energy of a simulated LLM run by component and
/// per token (prefill per prompt token, decode per generated token), with the per-event energies used.
/// </summary>
public static class CostCommand
{
    public static Command Create(CliConsole console)
    {
        var workloadOptions = new WorkloadOptions();
        var design = new DesignOptions();
        var costOptions = new CostOptions();
        var outputOptions = new OutputOptions();
        var top = Options.AtLeast("--top", 0, 8, "How many of the most energy-hungry ops to list in the table.");
        var command = new Command("cost", "Area and energy of a design: area by component, energy per token by component.");
        design.AddTo(command);
        command.Options.Add(top);
        workloadOptions.AddTo(command);
        costOptions.AddTo(command);
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (!outputOptions.ShowsTable(parse)) OptionRules.Reject(parse, $"with --format {outputOptions.FormatOf(parse).ToString().ToLowerInvariant()} (every op is listed)", top);
            var spec = design.Spec(parse);
            var costModel = costOptions.Read(parse);
            var costs = costModel.Lookup();
            var area = AreaModel.Of(spec, costs);
            var workload = workloadOptions.Trace(parse);
            var run = FastSimulator.Run(spec, workload, design.Formats(parse, spec, workload));
            var energy = EnergyModel.Of(run, costs);
            outputOptions.Write(parse, console, output =>
            {
                PrintArea(output, area);
                PrintEnergy(output, energy);
                PrintOps(output, energy, (int)Math.Min(parse.GetValue(top), 1000));
            }, format =>
            {
                var result = CostResult.Of(area, energy, costModel.Vdd);
                var inputs = new ProvenanceInputs().Add("workload", WorkloadOptions.ProvenanceOf(workload));
                design.AddProvenance(parse, inputs, spec);
                CostOptions.AddProvenance(inputs, costModel);
                var provenance = Provenance.Of(inputs);
                return ResultFile.Document(format, provenance, result);
            });
            return HwSimCli.ExitOk;
        });
        return command;
    }

    private static void PrintArea(IAnsiConsole console, AreaReport area)
    {
        var table = new Table().Title($"area of {Markup.Escape(area.Design)} at {General(area.NodeNm)} nm")
            .AddColumn("component").AddColumn(new TableColumn("count").RightAligned()).AddColumn(new TableColumn("um2 each").RightAligned())
            .AddColumn(new TableColumn("mm2").RightAligned()).AddColumn(new TableColumn("share").RightAligned()).AddColumn("source");
        foreach (var line in area.Lines)
            table.AddRow(Markup.Escape(line.Component), Count(line.Count), Fixed(line.EachUm2, 1), Fixed(line.TotalUm2 / 1e6, 4),
                Percent(line.TotalUm2 / area.TotalUm2), Markup.Escape(Shorten(line.Source)));
        table.AddRow("[bold]total[/]", "", "", $"[bold]{Fixed(area.TotalMm2, 4)}[/]", Percent(1), "");
        console.Write(table);
        foreach (string missing in area.Missing) console.MarkupLine($"[yellow]not priced:[/] {Markup.Escape(missing)}");
    }

    private static void PrintEnergy(IAnsiConsole console, EnergyReport energy)
    {
        var workload = energy.Run.Workload;
        double promptTokens = (double)workload.Batch * workload.Prompt, generated = (double)workload.Batch * workload.DecodeSteps;
        var prefill = energy.ByComponent(Phase.Prefill);
        var decode = energy.ByComponent(Phase.Decode);
        var table = new Table().Title($"energy of {Markup.Escape(workload.Name)} on {Markup.Escape(energy.Run.Spec.Name)}")
            .AddColumn("component").AddColumn(new TableColumn("total uJ").RightAligned()).AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn("uJ / prompt token").RightAligned()).AddColumn(new TableColumn("uJ / generated token").RightAligned());
        double total = energy.TotalPicoJoules;
        foreach (var (component, picoJoules) in energy.ByComponentPicoJoules.OrderByDescending(p => p.Value))
            table.AddRow(Markup.Escape(component), Fixed(picoJoules / 1e6), Percent(picoJoules / total),
                PerToken(prefill.GetValueOrDefault(component), promptTokens), PerToken(decode.GetValueOrDefault(component), generated));
        table.AddRow("[bold]total[/]", $"[bold]{Fixed(total / 1e6)}[/]", Percent(1),
            PerToken(energy.PhasePicoJoules(Phase.Prefill), promptTokens), PerToken(energy.PhasePicoJoules(Phase.Decode), generated));
        console.Write(table);
        var events = new Table().Title("per-event energies").AddColumn("event").AddColumn(new TableColumn("pJ").RightAligned());
        foreach (var (name, picoJoules) in energy.PerEventPicoJoules) events.AddRow(Markup.Escape(name), General(picoJoules));
        console.Write(events);
        foreach (string missing in energy.Missing) console.MarkupLine($"[yellow]not priced:[/] {Markup.Escape(missing)}");
    }

    private static void PrintOps(IAnsiConsole console, EnergyReport energy, int top)
    {
        if (top == 0) return;
        var table = new Table().Title("most energy-hungry ops (summed over decode steps)").AddColumn("op").AddColumn("phase")
            .AddColumn(new TableColumn("uJ").RightAligned()).AddColumn(new TableColumn("share").RightAligned()).AddColumn("largest component");
        foreach (var op in energy.Ops.OrderByDescending(o => o.TotalPicoJoules).Take(top))
        {
            var largest = op.ByComponentPicoJoules.MaxBy(p => p.Value);
            table.AddRow(Markup.Escape(op.Op.Name), op.Op.Phase.ToString().ToLowerInvariant(), Fixed(op.TotalPicoJoules / 1e6),
                Percent(op.TotalPicoJoules / energy.TotalPicoJoules), Markup.Escape(largest.Key));
        }
        console.Write(table);
    }

    private static string PerToken(double picoJoules, double tokens) => tokens == 0 ? "-" : Fixed(picoJoules / tokens / 1e6);

    private static string Shorten(string source) => source.Length <= 60 ? source : source[..57] + "...";
}
