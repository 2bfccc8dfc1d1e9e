using System.Diagnostics;
using Spectre.Console;

namespace HwSim.Cli;

/// <summary>
/// Progress of long work on standard error: a Spectre progress bar when standard error is a terminal, otherwise a
/// plain line every few seconds (so logs of batch jobs show the run is alive), nothing with <c>--quiet</c> or for work
/// that ends within the first second.
/// </summary>
public sealed class ProgressReporter : IDisposable
{
    private static readonly TimeSpan FirstReport = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    private readonly string what;
    private readonly long total;
    private readonly TextWriter? lines;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly IAnsiConsole? terminal;
    private readonly object gate = new();
    private ProgressTask? bar;
    private Task? barLoop;
    private TaskCompletionSource? barDone;
    private TimeSpan nextLine = FirstReport;
    private long done;

    /// <param name="what">What is counted, e.g. "simulating decode steps".</param>
    /// <param name="total">How many units the work has.</param>
    /// <param name="quiet">True to report nothing.</param>
    /// <param name="error">Where to report (standard error); a terminal gets a bar, anything else lines.</param>
    public ProgressReporter(string what, long total, bool quiet, TextWriter error)
    {
        this.what = what;
        this.total = Math.Max(1, total);
        if (quiet) return;
        if (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected)
            terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        else
            lines = error;
    }

    /// <summary>Marks <paramref name="units"/> more units done. Thread-safe.</summary>
    public void Advance(long units = 1)
    {
        // Quiet: nothing to count for (a long run calls this tens of thousands of times).
        if (terminal is null && lines is null) return;
        lock (gate)
        {
            done = Math.Min(total, done + units);
            var elapsed = clock.Elapsed;
            if (elapsed < FirstReport) return;
            if (terminal is not null) UpdateBar();
            else if (elapsed >= nextLine)
            {
                lines!.WriteLine($"hwsim: {what}: {done:N0} of {total:N0} ({100.0 * done / total:F0}%), {elapsed.TotalSeconds:F0} s");
                nextLine = elapsed + LineInterval;
            }
        }
    }

    private void UpdateBar()
    {
        if (bar is null)
        {
            barDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var ready = new TaskCompletionSource<ProgressTask>();
            barLoop = terminal!.Progress().AutoClear(true).StartAsync(async context =>
            {
                ready.SetResult(context.AddTask(what, maxValue: total));
                await barDone.Task;
            });
            bar = ready.Task.GetAwaiter().GetResult();
        }
        bar.Value = done;
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (bar is null) return;
            bar.Value = total;
            barDone!.SetResult();
            barLoop!.GetAwaiter().GetResult();
        }
    }
}
