using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// Streams a project's enriched events for a backtest. The reader is sequential (Npgsql holds no more
/// than the current row's columns), and rows are yielded as they arrive, so the gateway's memory does
/// not depend on the period's size. The ordering by user and session is PostgreSQL's sort, over the
/// period's rows found by a scan (see docs/patterns-and-sessions.md "Backtest" for the plan and its cost).
/// </summary>
internal sealed class PostgresEnrichedEventScan(NpgsqlDataSource dataSource) : IEnrichedEventScan
{
    private const string ScanSql = $"""
        SELECT {PostgresEnrichedEventRows.Columns} FROM enriched_event
        WHERE project_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3 AND session_id IS NOT NULL
        ORDER BY user_id, session_id, sequence_number
        """;

    public async IAsyncEnumerable<EnrichedEvent> ScanSessionEventsAsync(
        long projectId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ScanSql);
        // A month of a busy project is a long read: no per-command timeout, the caller's token ends it.
        command.CommandTimeout = 0;
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(StoragePrecision.ToUtcDateTime(from), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(PgParameter.Value(StoragePrecision.ToUtcDateTime(to), NpgsqlDbType.TimestampTz));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return PostgresEnrichedEventRows.Read(reader);
        }
    }
}
