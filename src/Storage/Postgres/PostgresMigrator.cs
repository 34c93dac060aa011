using Npgsql;
using SessionInsights.Storage.Migrations;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// Applies missing migrations in version order, all in one transaction (PostgreSQL DDL is
/// transactional: a failing script leaves the schema as it was). A transaction-scoped advisory lock
/// makes a second process starting at the same time wait, then find nothing left to do.
/// </summary>
internal static class PostgresMigrator
{
    // An arbitrary constant that identifies "Session Insights schema migrations" among advisory locks.
    private const long AdvisoryLockKey = 0x5E55_1045_0001;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var scripts = EmbeddedMigrations.Load("Postgres");

        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, ct).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var select = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
        {
            await ExecuteAsync(connection, transaction, script.Sql, ct).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = script.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Name });
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
