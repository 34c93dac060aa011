using Npgsql;
using SessionInsights.Storage.Tests.Contract;
using Xunit.Abstractions;

namespace SessionInsights.Storage.Tests.Postgres;

/// <summary>The storage contract on PostgreSQL; needs scripts/with-postgres.sh (fails without it).</summary>
public sealed class PostgresStorageTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : StorageContractTests(output), IClassFixture<PostgresDatabaseFixture>
{
    protected override bool KeepsPropertiesText => false;

    protected override Task<string> CreateLocationAsync() => database.CreateSchemaAsync();

    protected override StorageBundle OpenAt(string location) => StorageFactory.CreatePostgres(location);

    protected override string MigrationsFolder => "Postgres";

    protected override async Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(string location)
    {
        await using var data = NpgsqlDataSource.Create(location);
        await using var command = data.CreateCommand("SELECT version, name, applied_at::text FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }
}
