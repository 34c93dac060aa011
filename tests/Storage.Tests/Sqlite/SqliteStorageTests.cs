using Microsoft.Data.Sqlite;
using SessionInsights.Domain.Storage;
using SessionInsights.Storage.Tests.Contract;
using Xunit.Abstractions;

namespace SessionInsights.Storage.Tests.Sqlite;

/// <summary>The storage contract on SQLite: a new database file per test.</summary>
public sealed class SqliteStorageTests(SqliteDirectoryFixture directory, ITestOutputHelper output)
    : StorageContractTests(output), IClassFixture<SqliteDirectoryFixture>
{
    protected override bool KeepsPropertiesText => true;

    protected override Task<string> CreateLocationAsync() =>
        Task.FromResult(Path.Combine(directory.Path, Guid.NewGuid().ToString("N"), "session-insights.db"));

    protected override StorageBundle OpenAt(string location) => StorageFactory.CreateSqlite(location);

    protected override string MigrationsFolder => "Sqlite";

    protected override async Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(string location)
    {
        await using var connection = new SqliteConnection($"Data Source={location};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, CAST(applied_at AS TEXT) FROM schema_migrations ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AppliedMigration(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }

    [Fact]
    public async Task Upgrading_to_dead_letters_turns_failed_rows_into_dead_letters_and_keeps_the_sequence()
    {
        // The schema and rows as the build before 0005_dead_letters.sql left them; the last event
        // was erased, so the log's high-water mark is above its last row.
        var location = await CreateLocationAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(location)!);
        await using (var connection = new SqliteConnection($"Data Source={location};Pooling=False"))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            var assembly = typeof(StorageFactory).Assembly;
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Sqlite.Migrations.000", StringComparison.Ordinal)).Order())
            {
                var version = int.Parse(name.Split(".Sqlite.Migrations.")[1][..4], System.Globalization.CultureInfo.InvariantCulture);
                if (version > 3)
                {
                    continue;
                }
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                await ExecuteAsync(connection, await reader.ReadToEndAsync());
                await ExecuteAsync(connection, $"INSERT INTO schema_migrations VALUES ({version}, 'as before', 0)");
            }
            await ExecuteAsync(connection, """
                INSERT INTO raw_event (raw_event_id, event_name, distinct_id, timestamp, properties, received_at, status, failure_reason, processed_at) VALUES
                    ('00000000-0000-0000-0000-000000000001', '$pageview', 'old-user', 0, '{}', 0, 'PENDING', NULL, NULL),
                    ('00000000-0000-0000-0000-000000000002', '$pageview', 'old-user', 0, '{}', 0, 'DONE', NULL, 1),
                    ('00000000-0000-0000-0000-000000000003', '$pageview', 'old-user', 0, '{}', 0, 'FAILED', 'ArgumentException: bad', 1),
                    ('00000000-0000-0000-0000-000000000004', '$pageview', 'old-user', 0, '{}', 0, 'DONE', NULL, 1);
                DELETE FROM raw_event WHERE seq = 4;
                """);
        }

        await using var storage = OpenAt(location);
        await storage.InitializeAsync();

        var failed = Assert.Single(await storage.RawEvents.ReadFailedAsync(null, 10));
        Assert.Equal(("00000000-0000-0000-0000-000000000003", 3L, "ArgumentException: bad", 1), (failed.Uuid.ToString(), failed.Seq, failed.Reason, failed.Attempts));
        Assert.Equal(new RawEventCounts(1, 1, 1), await storage.RawEvents.CountAsync());
        Assert.Equal(["00000000-0000-0000-0000-000000000001"], (await storage.RawEvents.ReadPendingAsync(ProjectIds.Default, "old-user")).Select(e => e.Event.Uuid.ToString()));
        // An erased sequence number is not given out again.
        var appended = await storage.RawEvents.AppendAsync([TestData.Event("old-user")]);
        Assert.Equal(5, appended[0].Seq);
        Assert.Equal(1, (await storage.RawEvents.RetryDeadLettersAsync(null)).Events);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
