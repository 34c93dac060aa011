using Microsoft.Data.Sqlite;
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
}
