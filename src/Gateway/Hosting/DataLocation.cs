using SessionInsights.Grains.Hosting;
using SessionInsights.Storage;

namespace SessionInsights.Gateway.Hosting;

/// <summary>Where this node keeps its data, as the start-up banner shows it and <c>--reset-data</c> clears it.</summary>
/// <param name="SqliteFile">The single-node SQLite file (absolute), or null when PostgreSQL holds the data.</param>
public sealed record DataLocation(string Description, string? SqliteFile)
{
    public static DataLocation From(IConfiguration config)
    {
        if (!string.IsNullOrWhiteSpace(config.GetConnectionString(StorageServiceCollectionExtensions.PostgresConnectionStringName)))
        {
            return new DataLocation("PostgreSQL (ConnectionStrings__Postgres)", null);
        }
        // Relative to the directory the user started from (dotnet run keeps it: see Gateway.csproj).
        var file = Path.GetFullPath(config[StorageServiceCollectionExtensions.SqlitePathKey] ?? StorageFactory.DefaultSqlitePath);
        return new DataLocation(file, file);
    }

    /// <summary>Deletes the SQLite file and its journal files; returns what was done, for the console.</summary>
    public string Reset()
    {
        if (SqliteFile is null)
        {
            throw new StartupUsageException("--reset-data clears only the single-node SQLite file; with PostgreSQL, drop and recreate the database instead");
        }
        var deleted = 0;
        // The development project's keys go with the data they open.
        foreach (var file in new[] { SqliteFile, SqliteFile + "-wal", SqliteFile + "-shm", SqliteFile + "-journal", SqliteFile + ".keys" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
                deleted++;
            }
        }
        return deleted > 0 ? $"deleted {SqliteFile}: starting with no data" : $"no data at {SqliteFile} to reset";
    }
}
