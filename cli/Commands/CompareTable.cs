using System.Globalization;
using HwSim.Arch.Fast;
using HwSim.Arch.Reference;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Tracing;
using Spectre.Console;
using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>One design of a comparison: as named (design or design:datatype) and its run.</summary>
public sealed record CompareRun(string Label, bool PaperWeights, RunResult Result)
{
    public long Cycles(Phase? phase) => phase switch
    {
        Phase.Prefill => Result.PrefillCycles,
        Phase.Decode => Result.DecodeCycles,
        _ => Result.PrefillCycles + Result.DecodeCycles,
    };
}

/// <summary>
/// `simulate --compare`: several designs on one workload, normalized to the first, with BitMoD's speedup over each
/// in prefill, decode and overall, and the BitMoD paper's published ratios. A design named alone runs its default
/// weights per phase, and a baseline whose datatype family the paper's simulator gives mean weight bits for
/// (ANT, OliVe) stores that many bits per weight; design:datatype or design:PREFILL/DECODE runs those datatypes as
/// they are.
/// </summary>
public static class CompareTable
{
    public static IReadOnlyList<CompareRun> Run(Workload workload, IReadOnlyList<string> designs, bool fullEvents = false)
    {
        if (designs.Count == 0) throw new UserInputException("option '--compare' needs at least one design");
        string model = workload.Model?.Name ?? workload.Name;
        var paper = PaperReference.BitMoD;
        return [.. designs.Select(text =>
        {
            var (name, datatypes) = Split(text);
            var spec = DesignOptions.LoadArch(name, "--compare");
            var (prefill, decode) = DesignOptions.ParseWeights(datatypes, $"--compare {text}");
            RunFormats formats;
            try
            {
                formats = RunFormats.Default(spec, prefill, decode);
            }
            catch (ArgumentException e)
            {
                throw new UserInputException($"--compare {text}: {e.Message}");
            }
            if (datatypes is null)
                formats = formats with
                {
                    Prefill = formats.Prefill with { Storage = paper.WeightBitsFor(formats.Prefill.Datatype.Family, model, Phase.Prefill) },
                    Decode = formats.Decode with { Storage = paper.WeightBitsFor(formats.Decode.Datatype.Family, model, Phase.Decode) },
                };
            return new CompareRun(datatypes is null ? spec.Name : $"{spec.Name}:{datatypes}", datatypes is null, FastSimulator.Run(spec, workload, formats, fullEvents));
        })];
    }

    /// <summary>The first design whose description runs BitMoD weights, or null.</summary>
    public static CompareRun? Bitmod(IReadOnlyList<CompareRun> runs) =>
        runs.FirstOrDefault(r => WeightDatatypes.Get(r.Result.Spec.DefaultWeights).Family == BitmodFamily.FamilyName);

    /// <summary>BitMoD's speedup over <paramref name="other"/>: the other design's cycles over BitMoD's, in one phase or (null) both.</summary>
    public static double SpeedupOver(CompareRun bitmod, CompareRun other, Phase? phase) => (double)other.Cycles(phase) / bitmod.Cycles(phase);

    public static void Write(IAnsiConsole console, Workload workload, IReadOnlyList<CompareRun> runs)
    {
        var baseline = runs[0];
        var bitmod = Bitmod(runs);
        var paper = PaperReference.BitMoD;
        var table = new Table().Title($"{Markup.Escape(workload.Name)}: speedup normalized to {Markup.Escape(baseline.Label)}")
            .AddColumn("design").AddColumn("array").AddColumn("weight bits prefill / decode").AddColumn(new TableColumn("prefill cycles").RightAligned())
            .AddColumn(new TableColumn("decode cycles").RightAligned()).AddColumn(new TableColumn("total ms").RightAligned())
            .AddColumn(new TableColumn("speedup").RightAligned()).AddColumn(new TableColumn("BitMoD over it prefill / decode / total").RightAligned())
            .AddColumn("paper (BitMoD over it)");
        foreach (var run in runs)
        {
            var r = run.Result;
            string over = bitmod is null || ReferenceEquals(bitmod, run) ? ""
                : string.Join(" / ", ((Phase?[])[Phase.Prefill, Phase.Decode, null]).Select(p => Ratio(SpeedupOver(bitmod, run, p))));
            string published = run.PaperWeights && paper.SpeedupOver(r.Spec.Name) is { } row ? row.Text : "";
            table.AddRow(Markup.Escape(run.Label), $"{r.Spec.Array.Rows}x{r.Spec.Array.Cols}",
                $"{Bits(r.Formats.Prefill)} / {Bits(r.Formats.Decode)}",
                Count(r.PrefillCycles), Count(r.DecodeCycles), Fixed(r.Milliseconds(run.Cycles(null))),
                Ratio((double)baseline.Cycles(null) / run.Cycles(null)), over, Markup.Escape(published));
        }
        console.Write(table);
    }

    /// <summary>"bitmod" or "bitmod:bitmod3" or "my.json:int8": the design and the datatypes, if any, after the last colon.</summary>
    private static (string Design, string? Datatypes) Split(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon < 0 || Presets.Find(text) is not null || File.Exists(text)) return (text, null);
        string design = text[..colon], datatypes = text[(colon + 1)..];
        if (design.Length == 0 || datatypes.Length == 0) throw new UserInputException($"--compare: '{text}' is not design or design:datatype");
        return (design, datatypes);
    }

    private static string Bits(PhaseWeights weights) => weights.Bytes.EffectiveBits.ToString("F4", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "x";
}
