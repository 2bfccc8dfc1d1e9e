namespace HwSim.Tests.Cli;

/// <summary>A fresh directory per test, removed afterwards.</summary>
public abstract class TemporaryDirectory : IDisposable
{
    protected string TempPath { get; } = Directory.CreateTempSubdirectory("hwsim-test-").FullName;

    public void Dispose()
    {
        Directory.Delete(TempPath, recursive: true);
        GC.SuppressFinalize(this);
    }
}
