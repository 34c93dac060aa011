namespace SessionInsights.Storage.Tests.Sqlite;

/// <summary>A temporary directory for the SQLite test databases, deleted at the end.</summary>
public sealed class SqliteDirectoryFixture : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("session-insights-storage-tests-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; the OS temp cleaner gets it.
        }
    }
}
