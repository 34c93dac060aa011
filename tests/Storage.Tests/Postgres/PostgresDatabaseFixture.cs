using Npgsql;

namespace SessionInsights.Storage.Tests.Postgres;

/// <summary>
/// A database of its own for one test class, so classes can run in parallel; each test then gets
/// a schema of its own inside it (see <see cref="CreateSchemaAsync"/>). Dropped at the end.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private readonly string _databaseName = "si_test_" + Guid.NewGuid().ToString("N")[..16];
    private NpgsqlDataSource? _database;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var admin = PostgresServer.AdminConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {_databaseName}");
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = _databaseName }.ConnectionString;
        _database = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>An empty schema and a connection string whose search path puts everything in it.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var command = _database!.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_database is null)
        {
            return;
        }
        await _database.DisposeAsync();
        await ExecuteAsync(PostgresServer.AdminConnectionString, $"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
