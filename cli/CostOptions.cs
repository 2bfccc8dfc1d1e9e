using System.CommandLine;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using HwSim.CostModels;

namespace HwSim.Cli;

/// <summary>The technology node, supply and user cost-table options of the commands that price designs.</summary>
public sealed class CostOptions
{
    public Option<double> Node { get; } = new("--node") { Description = "Technology node in nm (7 .. 130; default 28, the BitMoD paper's).", DefaultValueFactory = _ => 28 };
    public Option<double> Vdd { get; } = new("--vdd") { Description = "Supply voltage the energy scaling compares nodes at.", DefaultValueFactory = _ => 0.9 };
    public Option<string?> Costs { get; } = new("--costs") { Description = "A cost table CSV whose rows replace the built-in rows of the same item and quantity (every item must be one the models read)." };

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

    /// <summary>Adds the cost setting (node, supply, and the user table's SHA-256) to a run's provenance inputs.</summary>
    public static void AddProvenance(ProvenanceInputs inputs, CostModelOptions costs)
    {
        inputs.Add("costs", new JsonObject { ["nodeNm"] = costs.NodeNm, ["vdd"] = costs.Vdd });
        if (costs.UserTablePath is { } path) inputs.AddFile("costTable", path);
    }
}
