using Microsoft.Data.Sqlite;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: a single long-lived writer connection, used under a lock and with
/// its prepared statements kept for reuse, and pooled short-lived reader connections, which WAL lets
/// run beside the writer. SQLite allows one writer at a time anyway; queueing writers here instead
/// of in SQLite's busy handler keeps them fair and cheap.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private readonly string _writerConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;

    public SqliteDatabase(string path, TimeProvider time)
    {
        var fullPath = Path.GetFullPath(path);
        if (Path.GetDirectoryName(fullPath) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        // Not from the pool: the writer lives as long as this object, with its statement cache.
        _writerConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        Time = time;
    }

    public TimeProvider Time { get; }

    public long NowMicroseconds() => StoragePrecision.ToUnixMicroseconds(Time.GetUtcNow());

    /// <summary>Runs <paramref name="work"/> on the writer connection, one caller at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return work(_writer ??= OpenWriter());
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The writer's prepared statement for <paramref name="sql"/>, created on first use with the
    /// named parameters; only valid inside <see cref="WriteAsync{T}"/>.
    /// </summary>
    public SqliteCommand Statement(SqliteConnection writer, SqliteTransaction? transaction, string sql, params string[] parameterNames)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = writer.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            command.Prepare();
            _statements.Add(sql, command);
        }
        command.Transaction = transaction;
        return command;
    }

    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
        return connection;
    }

    private SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
        Execute(connection, "PRAGMA journal_mode = WAL");
        // FULL: a commit is on disk before AppendAsync returns, as a 2xx answer promises.
        Execute(connection, "PRAGMA synchronous = FULL");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var statement in _statements.Values)
            {
                await statement.DisposeAsync().ConfigureAwait(false);
            }
            _statements.Clear();
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }
            // Pooled readers would otherwise keep the file (and its -wal/-shm) open after disposal.
            using var pooled = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
