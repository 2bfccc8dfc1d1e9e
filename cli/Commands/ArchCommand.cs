using System.CommandLine;
using HwSim.Arch.Spec;

namespace HwSim.Cli.Commands;

/// <summary>`hwsim arch [NAME]`: lists the presets, or prints one as accelerator JSON to start a description from.</summary>
public static class ArchCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string?>("name") { Description = "A preset or accelerator JSON file to print.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("arch", "List the accelerator presets, or print one as JSON.") { name };
        command.SetAction(parse =>
        {
            if (parse.GetValue(name) is { } which)
            {
                console.Out.Profile.Out.Writer.Write(AcceleratorSpecJson.Write(DesignOptions.LoadArch(which)));
                return HwSimCli.ExitOk;
            }
            foreach (var preset in Presets.All)
                console.Out.Profile.Out.Writer.WriteLine($"{preset.Name,-18} {preset.Array.Rows}x{preset.Array.Cols} {preset.Description}");
            return HwSimCli.ExitOk;
        });
        return command;
    }
}
