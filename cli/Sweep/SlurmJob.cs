using System.Diagnostics;
using System.Text;

namespace HwSim.Cli.Sweep;

/// <summary>
/// Runs a study on Slurm: a job array whose task i runs shard i of N into its own store
/// (<c>hwsim sweep STUDY --results DIR --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT</c>), then a job that
/// depends on the whole array (<c>--dependency=afterok:ID</c>) and merges the shard stores into DIR/sweep.db. Both
/// scripts are written to DIR, so they can be read or resubmitted by hand; the merge job also writes the exports and
/// plot asked for.
/// </summary>
public static class SlurmJob
{
    public sealed record Submitted(string ArrayJobId, string MergeJobId, string ArrayScript, string MergeScript);

    public static Submitted Submit(string hwsim, string studyPath, string resultsDirectory, int tasks, IReadOnlyList<string> sbatchArguments, string jobName,
        IReadOnlyList<string> mergeArguments)
    {
        string logs = Path.Combine(resultsDirectory, "logs");
        Directory.CreateDirectory(logs);
        string arrayScript = Path.Combine(resultsDirectory, "sweep.sbatch"), mergeScript = Path.Combine(resultsDirectory, "merge.sbatch");
        string run = $"{hwsim} sweep {Quote(studyPath)} --results {Quote(resultsDirectory)}";
        AtomicFile.WriteText(arrayScript, Script(jobName, [$"--array=0-{tasks - 1}", $"--output={Path.Combine(logs, "shard-%a.out")}"],
            $"{run} --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" --quiet"));
        AtomicFile.WriteText(mergeScript, Script(jobName + "-merge", [$"--output={Path.Combine(logs, "merge.out")}"], $"{run} --merge --quiet{string.Concat(mergeArguments.Select(a => " " + Quote(a)))}"));
        string arrayJob = Sbatch([.. sbatchArguments, arrayScript]);
        string mergeJob = Sbatch([.. sbatchArguments, $"--dependency=afterok:{arrayJob}", mergeScript]);
        return new Submitted(arrayJob, mergeJob, arrayScript, mergeScript);
    }

    private static string Script(string name, IEnumerable<string> directives, string command)
    {
        var text = new StringBuilder("#!/bin/bash\n");
        text.Append("# Written by hwsim sweep --slurm.\n");
        text.Append($"#SBATCH --job-name={name}\n");
        foreach (string directive in directives) text.Append($"#SBATCH {directive}\n");
        text.Append("set -euo pipefail\n").Append(command).Append('\n');
        return text.ToString();
    }

    /// <summary>Runs sbatch --parsable and returns the job id it prints ("ID" or "ID;CLUSTER").</summary>
    private static string Sbatch(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--parsable");
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new UserInputException("option '--slurm': could not start sbatch", HwSimCli.ExitFailure);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserInputException($"option '--slurm': could not run sbatch ({e.Message}); is Slurm installed and on PATH?", HwSimCli.ExitFailure);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new UserInputException($"sbatch {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {error.Trim()}", HwSimCli.ExitFailure);
            string id = output.Result.Trim().Split(';')[0];
            if (id.Length == 0 || !id.All(char.IsAsciiDigit)) throw new UserInputException($"sbatch printed no job id ('{output.Result.Trim()}')", HwSimCli.ExitFailure);
            return id;
        }
    }

    /// <summary>A shell word: single-quoted unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>Splits --sbatch "ARGS" into words as a POSIX shell would for quotes and backslashes (no expansions).</summary>
    public static IReadOnlyList<string> SplitArguments(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0) throw new UserInputException("option '--sbatch': unclosed single quote");
                word.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                int j = i + 1;
                for (; j < text.Length && text[j] != '"'; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length && text[j + 1] is '"' or '\\') j++;
                    word.Append(text[j]);
                }
                if (j >= text.Length) throw new UserInputException("option '--sbatch': unclosed double quote");
                i = j;
            }
            else if (c == '\\' && i + 1 < text.Length) word.Append(text[++i]);
            else word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
