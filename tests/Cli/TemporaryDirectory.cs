namespace HwSim.Tests.Cli;

/// <summary>A fresh directory per test, removed afterwards.</summary>
public abstract class TemporaryDirectory : IDisposable
{
    protected string TempPath { get; } = Directory.CreateTempSubdirectory("hwsim-test-").FullName;

    /// <summary>
    /// Every file and directory below <see cref="TempPath"/>, hidden ones (".name") included: the default enumeration
    /// skips them, and temporary files are hidden.
    /// </summary>
    protected string[] Entries() =>
        [.. Directory.EnumerateFileSystemEntries(TempPath, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true }).Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        Directory.Delete(TempPath, recursive: true);
        GC.SuppressFinalize(this);
    }
}
