using System.CommandLine;
using System.Globalization;
using System.Reflection;
using HwSim.Cli.Plots;
using HwSim.Cli.Sweep;
using Spectre.Console;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim sweep STUDY --results DIR`: every point of a study (designs × axes) on the fast simulator with the area and
/// energy models, in parallel, into a resumable SQLite store; DIR/results.csv when every point is stored. `--shard`
/// runs one slice into its own store, `--slurm` submits the slices as a Slurm job array plus a merge job, `--merge`
/// gathers the slices.
/// </summary>
public static class SweepCommand
{
    public const string StoreFile = "sweep.db";
    public const string CsvFile = "results.csv";

    public static Command Create(CliConsole console)
    {
        var study = new Argument<FileInfo>("study") { Description = "The study file (YAML, or JSON)." };
        var results = new Option<DirectoryInfo>("--results") { Description = "Directory of the store (sweep.db), shard stores, logs and exports.", Required = true };
        var jobs = Options.AtLeast("--jobs", 1, Environment.ProcessorCount, "Points run at once (default: all cores).");
        var shard = new Option<string?>("--shard") { Description = "Run one slice, i/N (points whose index mod N is i), into DIR/shards/; auto reads SLURM_ARRAY_TASK_ID/COUNT, auto/N JOB_COMPLETION_INDEX." };
        var slurm = new Option<bool>("--slurm") { Description = "Submit the study as a Slurm job array of --tasks shards and a dependent merge job." };
        var tasks = Options.AtLeast("--tasks", 1, 4, "Array tasks (shards) of --slurm.");
        var sbatch = new Option<string?>("--sbatch") { Description = "Extra sbatch arguments for --slurm, e.g. \"--partition=cpu --time=01:00:00\"." };
        var merge = new Option<bool>("--merge") { Description = "Merge the shard stores of DIR/shards/ into DIR/sweep.db and export." };
        var export = new Option<SweepExportFormat[]>("--export")
        {
            Description = "Also export the finished results as json, csv or parquet (DIR/results.FORMAT); repeatable.",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = r => [.. r.Tokens.Select(t => t.Value switch
            {
                "csv" => SweepExportFormat.Csv,
                "json" => SweepExportFormat.Json,
                "parquet" => SweepExportFormat.Parquet,
                _ => Bad(r, t.Value),
            })],
        };
        var plot = new Option<FileInfo?>("--plot") { Description = "Plot the finished results to FILE (.png or .svg)." };
        var plotX = new Option<string?>("--plot-x") { Description = "X of --plot: an axis (a line per design) or a metric (a scatter with the Pareto front); default the first axis." };
        var plotY = new Option<string?>("--plot-y") { Description = "Y metric of --plot (default: the first kept metric)." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not show progress on standard error." };

        var command = new Command("sweep", "Run a design-space study: every point of a study file, resumable, in parallel, on one machine or on Slurm.");
        command.Arguments.Add(study);
        foreach (Option option in (Option[])[results, jobs, shard, slurm, tasks, sbatch, merge, export, plot, plotX, plotY, quiet]) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string studyPath = parse.GetValue(study)!.FullName;
            string directory = parse.GetValue(results)!.FullName;
            bool given(Option o) => parse.GetResult(o) is { Implicit: false };
            var loaded = StudyFile.Load(studyPath);
            var points = new PointResolver(loaded).All();
            var finish = new Finish(parse.GetValue(export) ?? [], parse.GetValue(plot)?.FullName, parse.GetValue(plotX), parse.GetValue(plotY));
            finish.Check(loaded);
            Directory.CreateDirectory(directory);

            if (parse.GetValue(slurm))
            {
                foreach (Option o in (Option[])[shard, merge, jobs])
                    if (given(o)) throw new UserInputException($"option '{o.Name}' does not apply with --slurm");
                var args = parse.GetValue(sbatch) is { } text ? SlurmJob.SplitArguments(text) : [];
                var submitted = SlurmJob.Submit(HwsimCommand(), studyPath, directory, (int)Math.Min(parse.GetValue(tasks), points.Count), args, $"hwsim-{loaded.Name}",
                    finish.Arguments());
                console.Out.WriteLine($"submitted job array {submitted.ArrayJobId} ({submitted.ArrayScript}) and merge job {submitted.MergeJobId} ({submitted.MergeScript})");
                return HwSimCli.ExitOk;
            }
            foreach (Option o in (Option[])[tasks, sbatch])
                if (given(o)) throw new UserInputException($"option '{o.Name}' applies only with --slurm");

            if (parse.GetValue(merge))
            {
                if (given(shard)) throw new UserInputException("option '--shard' does not apply with --merge");
                using var store = new SweepStore(Path.Combine(directory, StoreFile));
                string shards = Path.Combine(directory, "shards");
                long added = 0;
                var files = Directory.Exists(shards) ? Directory.GetFiles(shards, "shard-*.db").Order(StringComparer.Ordinal).ToList() : [];
                foreach (string file in files) added += store.MergeFrom(file);
                console.Out.WriteLine($"merged {files.Count} shard stores: {added} new points");
                return Complete(console, loaded, points, store, directory, finish);
            }

            var slice = parse.GetValue(shard) is { } s ? Shard.Parse(s, Environment.GetEnvironmentVariable) : null;
            if (slice is not null)
                foreach (Option o in (Option[])[export, plot])
                    if (given(o)) throw new UserInputException($"option '{o.Name}' does not apply with --shard (a shard holds part of the points; give it to --merge)");
            string storePath = slice?.StorePath(directory) ?? Path.Combine(directory, StoreFile);
            Directory.CreateDirectory(Path.GetDirectoryName(storePath)!);
            using (var store = new SweepStore(storePath))
            {
                store.SetMeta("study", loaded.Name);
                store.SetMeta("study_sha256", loaded.Sha256);
                store.SetMeta("study_points", loaded.PointCount.ToString(CultureInfo.InvariantCulture));
                var done = store.Hashes();
                var mine = points.Where(p => slice is null || slice.Contains(p.Index)).ToList();
                var pending = mine.Where(p => !done.Contains(p.Hash)).ToList();
                var costs = loaded.Costs.Lookup();
                using (var progress = new ProgressReporter($"sweep {loaded.Name}", pending.Count, parse.GetValue(quiet), Console.Error))
                    new SweepRunner(loaded, costs, (int)Math.Min(parse.GetValue(jobs), 1024)).Run(pending, store, progress);
                string what = slice is null ? loaded.Name : $"{loaded.Name} shard {slice.Index}/{slice.Count}";
                console.Out.WriteLine($"{what}: {mine.Count} points, {pending.Count} run now, {mine.Count - pending.Count} already stored ({storePath})");
                if (slice is not null) return HwSimCli.ExitOk;
                return Complete(console, loaded, points, store, directory, finish);
            }
        });
        return command;
    }

    private static SweepExportFormat Bad(System.CommandLine.Parsing.ArgumentResult result, string text)
    {
        result.AddError($"option '--export' expects json, csv or parquet, got '{text}'");
        return SweepExportFormat.Csv;
    }

    /// <summary>With every point stored: DIR/results.csv, the requested exports and plot; otherwise exit 1 naming what is missing.</summary>
    private static int Complete(CliConsole console, Study study, IReadOnlyList<SweepPoint> points, SweepStore store, string directory, Finish finish)
    {
        var rows = store.Rows();
        var missing = points.Where(p => !rows.ContainsKey(p.Hash)).ToList();
        if (missing.Count > 0)
            throw new UserInputException($"{missing.Count} of {points.Count} points are not stored yet (first: point {missing[0].Index}, {missing[0].Label}); run the missing shards or the sweep again", HwSimCli.ExitFailure);
        var table = SweepTable.Of(study, points, rows);
        SweepExport.Write(table, SweepExportFormat.Csv, Path.Combine(directory, CsvFile));
        foreach (var format in finish.Exports.Distinct()) SweepExport.Write(table, format, Path.Combine(directory, SweepExport.FileName(format)));
        if (finish.PlotPath is { } plotPath) SweepPlot.Write(table, plotPath, finish.X, finish.Y);
        int feasible = table.Rows.Count(r => r.Feasible);
        console.Out.WriteLine($"{study.Name}: {table.Rows.Count} points, {feasible} meet the constraints; {Path.Combine(directory, CsvFile)}");
        return HwSimCli.ExitOk;
    }

    /// <summary>What to write once the study is complete; checked before any point runs.</summary>
    private sealed record Finish(IReadOnlyList<SweepExportFormat> Exports, string? PlotPath, string? X, string? Y)
    {
        public void Check(Study study)
        {
            if (PlotPath is null)
            {
                if (X is not null || Y is not null) throw new UserInputException("options '--plot-x' and '--plot-y' apply only with --plot");
                return;
            }
            PlotFile.FormatOf(PlotPath);
            SweepPlot.Check(study, X, Y);
        }

        /// <summary>The options that ask for these outputs, for the merge job of --slurm.</summary>
        public IReadOnlyList<string> Arguments()
        {
            var arguments = new List<string>();
            foreach (var format in Exports.Distinct()) arguments.AddRange(["--export", format.ToString().ToLowerInvariant()]);
            if (PlotPath is not null) arguments.AddRange(["--plot", PlotPath]);
            if (X is not null) arguments.AddRange(["--plot-x", X]);
            if (Y is not null) arguments.AddRange(["--plot-y", Y]);
            return arguments;
        }
    }

    /// <summary>How this process was started (the apphost, or dotnet and the hwsim assembly), for the batch scripts.</summary>
    private static string HwsimCommand()
    {
        string process = Environment.ProcessPath ?? throw new UserInputException("option '--slurm': cannot tell how hwsim was started", HwSimCli.ExitFailure);
        string? entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry)
            ? $"{SlurmJob.Quote(process)} {SlurmJob.Quote(entry)}"
            : SlurmJob.Quote(process);
    }
}
