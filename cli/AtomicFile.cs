using System.Collections.Concurrent;

namespace HwSim.Cli;

/// <summary>
/// Writes an output file through a temporary file in the same directory, renamed into place only after the
/// writer succeeded, so a failed run never leaves a partial or corrupt file behind. The temporary files being
/// written are registered, so that an interrupt (SIGINT, SIGTERM: see <see cref="TerminationCleanup"/>) removes them.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark).</summary>
    public static void WriteText(string path, string text) =>
        Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)));

    private static readonly ConcurrentDictionary<string, byte> Active = new();
    private static volatile bool terminating;

    /// <summary>
    /// Checks that <paramref name="path"/> can name an output file, before any work runs: not empty, its directory
    /// exists. Errors name <paramref name="option"/>.
    /// </summary>
    public static string Validate(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserInputException($"option '{option}': the output path is empty");
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UserInputException($"option '{option}': '{path}' is not a valid path ({e.Message})");
        }
        if (Directory.Exists(fullPath)) throw new UserInputException($"option '{option}': '{path}' is a directory, not a file");
        var directory = Path.GetDirectoryName(fullPath);
        if (directory is null || !Directory.Exists(directory))
            throw new UserInputException($"option '{option}': output directory '{directory}' does not exist");
        return fullPath;
    }

    public static void Write(string path, Action<Stream> write)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserInputException("the output path is empty");
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory)) throw new UserInputException($"output directory '{directory}' does not exist");
        if (Directory.Exists(fullPath)) throw new UserInputException($"cannot write '{path}': it is a directory");
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.tmp");
        if (terminating) throw new OperationCanceledException("interrupted");
        Active[temporary] = 0;
        try
        {
            try
            {
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    write(stream);
                }
                File.Move(temporary, fullPath, overwrite: true);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // The temporary file's name is ours, not the user's: say which output could not be written.
                throw new UserInputException($"cannot write '{path}': {Reason(e, temporary, fullPath)}", HwSimCli.ExitFailure);
            }
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            Active.TryRemove(temporary, out _);
        }
    }

    /// <summary>Removes every temporary file being written and refuses new ones; called when the process is interrupted.</summary>
    public static void RemoveTemporaries()
    {
        terminating = true;
        foreach (var temporary in Active.Keys)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort while exiting: nothing else can be done about a file that cannot be removed.
            }
        }
    }

    private static string Reason(Exception e, string temporary, string fullPath) =>
        e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace(temporary, fullPath, StringComparison.Ordinal);
}
