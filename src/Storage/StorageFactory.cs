using Npgsql;
using SessionInsights.Storage.Postgres;
using SessionInsights.Storage.Sqlite;

namespace SessionInsights.Storage;

/// <summary>
/// Chooses the backend: PostgreSQL when a connection string is configured
/// (<c>ConnectionStrings__Postgres</c>), otherwise the zero-setup SQLite file for a single node.
/// </summary>
public static class StorageFactory
{
    public const string DefaultSqlitePath = "./data/session-insights.db";

    /// <summary>
    /// Batches at least this large go through binary COPY; smaller ones are one statement over
    /// arrays, which saves the staging table's extra round trips (see docs/storage.md for the numbers).
    /// </summary>
    public const int DefaultPostgresCopyThreshold = 1000;

    public static StorageBundle Create(string? postgresConnectionString, string sqlitePath = DefaultSqlitePath, TimeProvider? time = null) =>
        string.IsNullOrWhiteSpace(postgresConnectionString)
            ? CreateSqlite(sqlitePath, time)
            : CreatePostgres(postgresConnectionString);

    public static StorageBundle CreatePostgres(string connectionString, int copyThreshold = DefaultPostgresCopyThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copyThreshold, 1);
        var dataSource = NpgsqlDataSource.Create(WithoutResetOnClose(connectionString));
        return new StorageBundle(
            StorageBackend.Postgres,
            new PostgresRawEventLog(dataSource, copyThreshold),
            new PostgresGrainStateStore(dataSource, copyThreshold),
            new PostgresProjectStore(dataSource),
            new PostgresRuleStore(dataSource),
            new PostgresEnrichedEventScan(dataSource),
            new PostgresWebhookOutbox(dataSource),
            ct => PostgresMigrator.MigrateAsync(dataSource, ct),
            dataSource);
    }

    /// <summary>
    /// Every pooled connection returned would otherwise run <c>DISCARD ALL</c> before its next use: one
    /// extra statement per query, 18 % of PostgreSQL's statement time when 100,000 new users arrive
    /// (docs/benchmarks.md). The service leaves no session state behind (temporary tables drop on
    /// commit, advisory locks are transaction-scoped), so the reset buys nothing. A connection string
    /// that sets the option itself keeps its value.
    /// </summary>
    internal static string WithoutResetOnClose(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    /// <param name="time">The clock for received/processed/updated times; SQLite has no server clock to ask.</param>
    public static StorageBundle CreateSqlite(string path = DefaultSqlitePath, TimeProvider? time = null)
    {
        var database = new SqliteDatabase(path, time ?? TimeProvider.System);
        return new StorageBundle(
            StorageBackend.Sqlite,
            new SqliteRawEventLog(database),
            new SqliteGrainStateStore(database),
            new SqliteProjectStore(database),
            new SqliteRuleStore(database),
            new SqliteEnrichedEventScan(database),
            new SqliteWebhookOutbox(database),
            ct => SqliteMigrator.MigrateAsync(database, ct),
            database);
    }
}
