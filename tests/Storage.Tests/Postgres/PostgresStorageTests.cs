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
}
