using System.CommandLine;
using HwSim.CostModels;

namespace HwSim.Cli;

/// <summary>The technology node, supply and user cost-table options of the commands that price designs.</summary>
public sealed class CostOptions
{
    public Option<double> Node { get; } = new("--node") { Description = "Technology node in nm (7 .. 130; default 28, the BitMoD paper's).", DefaultValueFactory = _ => 28 };
    public Option<double> Vdd { get; } = new("--vdd") { Description = "Supply voltage the energy scaling compares nodes at.", DefaultValueFactory = _ => 0.9 };
    public Option<string?> Costs { get; } = new("--costs") { Description = "A cost table CSV whose rows replace the built-in rows of the same item and quantity." };

    public void AddTo(Command command)
    {
        command.Options.Add(Node);
        command.Options.Add(Vdd);
        command.Options.Add(Costs);
    }

    public CostModelOptions Read(ParseResult parse)
    {
        double node = parse.GetValue(Node), vdd = parse.GetValue(Vdd);
        if (!double.IsFinite(node) || node is < 7 or > 130) throw new UserInputException($"option '--node' must be in 7 .. 130 nm (got {node})");
        if (!double.IsFinite(vdd) || vdd is <= 0.3 or > 2) throw new UserInputException($"option '--vdd' must be in (0.3, 2] V (got {vdd})");
        string? table = parse.GetValue(Costs);
        return new CostModelOptions(node, vdd, Options.ExistingFile(table, "--costs"));
    }
}
