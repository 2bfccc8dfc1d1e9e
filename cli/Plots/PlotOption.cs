using System.CommandLine;

namespace HwSim.Cli.Plots;

/// <summary>The <c>--plot FILE</c> option of the commands that draw their result (.png or .svg by extension).</summary>
public static class PlotOption
{
    public static Option<FileInfo?> Create(string what) => new("--plot") { Description = $"Also draw {what} to FILE (.png or .svg)." };

    /// <summary>The file --plot names, or null; an extension other than .png or .svg is rejected before any work.</summary>
    public static string? PathOf(ParseResult parse, Option<FileInfo?> option)
    {
        if (parse.GetValue(option) is not { } file) return null;
        PlotFile.FormatOf(file.FullName);
        return file.FullName;
    }
}
