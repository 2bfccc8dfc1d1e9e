using System.Text;

namespace HwSim.Cli;

/// <summary>
/// The list of files `hwsim export` wrote into a directory, kept there as <see cref="FileName"/>, one name per line.
/// The next export into the same directory removes the files of the previous one that it does not write again
/// (an OliVe export followed by a BitMoD export leaves no OVP pair decoder behind); files it did not write are never
/// touched.
/// </summary>
public static class ExportManifest
{
    public const string FileName = ".hwsim-export-manifest";

    /// <summary>
    /// Records <paramref name="written"/> as the export of <paramref name="directory"/> and removes the files the
    /// previous manifest lists that are not among them. Returns the removed names.
    /// </summary>
    public static IReadOnlyList<string> Replace(string directory, IReadOnlyCollection<string> written)
    {
        string path = Path.Combine(directory, FileName);
        var previous = File.Exists(path) ? Names(File.ReadAllText(path)) : [];
        var stale = previous.Where(name => !written.Contains(name)).ToList();
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(string.Concat(written.Select(name => name + "\n")))));
        var removed = new List<string>();
        foreach (string name in stale)
        {
            string file = Path.Combine(directory, name);
            if (!File.Exists(file)) continue;
            File.Delete(file);
            removed.Add(name);
        }
        return removed;
    }

    /// <summary>The file names of a manifest; anything that is not a plain name in the directory is ignored.</summary>
    private static List<string> Names(string text) =>
        [.. text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(name => name != FileName && name != "." && name != ".." && name.IndexOfAny(['/', '\\']) < 0 && !Path.IsPathRooted(name))];
}
