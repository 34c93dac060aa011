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
}
