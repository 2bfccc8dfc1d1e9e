using System.Globalization;

namespace HwSim.Cli.Sweep;

/// <summary>
/// One slice of a study for one task of a job array: the points whose index modulo <see cref="Count"/> is
/// <see cref="Index"/>. The slice depends only on the study's enumeration, so it is the same on every rerun.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public bool Contains(long pointIndex) => pointIndex % Count == Index;

    /// <summary>The shard's own store, beside the others in DIR/shards/.</summary>
    public string StorePath(string resultsDirectory) =>
        System.IO.Path.Combine(resultsDirectory, "shards", $"shard-{Index}-of-{Count}.db");

    /// <summary>
    /// "i/N" (0 ≤ i &lt; N), or "auto" / "auto/N" to read the task index from the environment: Slurm's
    /// SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (which has no
    /// count variable, so the count is given as auto/N).
    /// </summary>
    public static Shard Parse(string text, Func<string, string?> environment)
    {
        var parts = text.Split('/');
        if (parts[0] == "auto" && parts.Length <= 2)
        {
            int? count = parts.Length == 2 ? Number(parts[1], text) : null;
            if (environment("SLURM_ARRAY_TASK_ID") is { } task)
            {
                int slurmCount = environment("SLURM_ARRAY_TASK_COUNT") is { } c ? Number(c, "SLURM_ARRAY_TASK_COUNT")
                    : count ?? throw new UserInputException("option '--shard auto': SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give the count as auto/N");
                return Checked(Number(task, "SLURM_ARRAY_TASK_ID"), count ?? slurmCount, text);
            }
            if (environment("JOB_COMPLETION_INDEX") is { } completion)
                return Checked(Number(completion, "JOB_COMPLETION_INDEX"),
                    count ?? throw new UserInputException("option '--shard auto': JOB_COMPLETION_INDEX gives no task count; give it as auto/N (the Job's completions)"), text);
            throw new UserInputException("option '--shard auto': neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set");
        }
        if (parts.Length != 2) throw new UserInputException($"option '--shard' expects i/N or auto, got '{text}'");
        return Checked(Number(parts[0], text), Number(parts[1], text), text);
    }

    private static Shard Checked(int index, int count, string text)
    {
        if (count < 1) throw new UserInputException($"option '--shard': '{text}' has a count below 1");
        if (index < 0 || index >= count) throw new UserInputException($"option '--shard': task index {index} is not in 0 .. {count - 1} ('{text}')");
        return new Shard(index, count);
    }

    private static int Number(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UserInputException($"option '--shard': '{text}' in '{what}' is not a whole number");
}
