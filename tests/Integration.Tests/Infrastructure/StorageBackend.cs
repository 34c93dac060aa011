using Microsoft.Data.Sqlite;
using Npgsql;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>
/// A fresh, real database for one test: a new PostgreSQL database on the server that
/// <c>scripts/with-postgres.sh</c> started, or a new SQLite file.
/// </summary>
public abstract class StorageBackend : IAsyncDisposable
{
    public const string PostgresVariable = "SESSIONINSIGHTS_TEST_POSTGRES";

    public abstract string Name { get; }

    /// <summary>Environment that points a node at this database.</summary>
    public abstract Dictionary<string, string?> NodeEnvironment();

    public abstract Task<long> ScalarAsync(string sql);

    public Task<long> CountAsync(string table) => ScalarAsync($"SELECT count(*) FROM {table}");

    /// <summary>
    /// A raw event as the gateway stores it (log row and pending row), with no delivery to its grain
    /// following. PostgreSQL only: that is where the log and the pending set are separate tables.
    /// </summary>
    public async Task StoreUndeliveredAsync(Guid uuid, string user, string timestamp, string session, string propertiesJson)
    {
        if (Name != "postgres")
        {
            throw new NotSupportedException("StoreUndeliveredAsync writes PostgreSQL's raw_event_log and raw_event_pending");
        }
        var stored = await ScalarAsync($$"""
            WITH logged AS (
                INSERT INTO raw_event_log (raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, project_id)
                VALUES ('{{uuid}}', '$pageview', '{{user}}', '{{timestamp}}', '{{session}}', '{{propertiesJson}}', 1)
                RETURNING raw_event_id, seq, distinct_id, received_at, project_id)
            INSERT INTO raw_event_pending (raw_event_id, seq, distinct_id, received_at, project_id) SELECT * FROM logged RETURNING 1
            """);
        if (stored != 1)
        {
            throw new InvalidOperationException($"event {uuid} was not stored");
        }
    }

    public abstract ValueTask DisposeAsync();

    public static async Task<StorageBackend> CreateAsync(string kind) => kind switch
    {
        "postgres" => await PostgresBackend.CreateAsync(),
        "sqlite" => new SqliteBackend(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private sealed class PostgresBackend : StorageBackend
    {
        private readonly string _admin;
        private readonly string _database;
        private readonly NpgsqlDataSource _data;

        private PostgresBackend(string admin, string database)
        {
            _admin = admin;
            _database = database;
            _data = NpgsqlDataSource.Create(ConnectionString);
        }

        public override string Name => "postgres";

        private string ConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString;

        public static async Task<StorageBackend> CreateAsync()
        {
            var admin = Environment.GetEnvironmentVariable(PostgresVariable)
                ?? throw new InvalidOperationException($"{PostgresVariable} is not set: run the tests through scripts/test.sh (it starts PostgreSQL).");
            var database = "si_it_" + Guid.NewGuid().ToString("N")[..12];
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {database}", conn);
            await cmd.ExecuteNonQueryAsync();
            return new PostgresBackend(admin, database);
        }

        public override Dictionary<string, string?> NodeEnvironment() => new() { ["ConnectionStrings__Postgres"] = ConnectionString };

        public override async Task<long> ScalarAsync(string sql)
        {
            await using var cmd = _data.CreateCommand(sql);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync());
        }

        public override async ValueTask DisposeAsync()
        {
            await _data.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(_admin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private sealed class SqliteBackend : StorageBackend
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("si-it-").FullName;

        public override string Name => "sqlite";

        private string Path => System.IO.Path.Combine(_dir, "session-insights.db");

        public override Dictionary<string, string?> NodeEnvironment() => new()
        {
            ["ConnectionStrings__Postgres"] = null,
            ["Storage__SqlitePath"] = Path,
        };

        public override async Task<long> ScalarAsync(string sql)
        {
            await using var conn = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False");
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToInt64(await cmd.ExecuteScalarAsync());
        }

        public override ValueTask DisposeAsync()
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
            return ValueTask.CompletedTask;
        }
    }
}
