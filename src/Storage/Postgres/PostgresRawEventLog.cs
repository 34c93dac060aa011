using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// The <c>raw_event</c> log on PostgreSQL. Appends (see <see cref="PostgresRawEventAppend"/>) are
/// retried whole on deadlock; reads use the partial indexes on PENDING and FAILED rows.
/// </summary>
internal sealed class PostgresRawEventLog(NpgsqlDataSource dataSource, int copyThreshold) : IRawEventLog
{
    private const string ReadPendingSql = """
        SELECT seq, raw_event_id, event_name, distinct_id, "timestamp", properties, elements_chain, received_at, client_time
        FROM raw_event
        WHERE distinct_id = $1 AND status = 'PENDING'
        ORDER BY seq
        """;

    private const string StaleUsersSql = """
        SELECT distinct_id
        FROM raw_event
        WHERE status = 'PENDING' AND received_at < now() - $1
        GROUP BY distinct_id
        ORDER BY min(received_at)
        LIMIT $2
        """;

    private const string ReadFailedSql = """
        SELECT seq, raw_event_id, distinct_id, event_name, received_at, failure_reason
        FROM raw_event
        WHERE status = 'FAILED'
        ORDER BY seq DESC
        LIMIT $1
        """;

    private const string RetryFailedSql = """
        UPDATE raw_event SET status = 'PENDING', failure_reason = NULL
        WHERE raw_event_id = $1 AND status = 'FAILED'
        RETURNING distinct_id
        """;

    private const string CountSql = """
        SELECT count(*) FILTER (WHERE status = 'PENDING'),
               count(*) FILTER (WHERE status = 'DONE'),
               count(*) FILTER (WHERE status = 'FAILED')
        FROM raw_event
        """;

    public async Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<PostHogEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0)
        {
            return [];
        }
        var batch = new AppendBatch(events);
        var inserted = await PostgresRetry.RunAsync(
            token => batch.Unique.Count >= copyThreshold
                ? PostgresRawEventAppend.ByCopyAsync(dataSource, batch.Unique, token)
                : PostgresRawEventAppend.ByArraysAsync(dataSource, batch.Unique, token),
            ct).ConfigureAwait(false);
        return batch.Results(inserted);
    }

    // Rows stored before the event-time bounds existed get them on replay (docs/ingestion.md).
    public async Task<IReadOnlyList<StoredEvent>> ReadPendingAsync(string userId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ReadPendingSql);
        command.Parameters.Add(PgParameter.Value(userId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var e = new PostHogEvent(
                Uuid: reader.GetGuid(1),
                Event: reader.GetString(2),
                DistinctId: reader.GetString(3),
                Timestamp: EventTime.Bound(reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(7)),
                Properties: JsonText.ParseDetached(reader.GetString(5)),
                ElementsChain: reader.IsDBNull(6) ? null : reader.GetString(6),
                ClientTime: reader.IsDBNull(8) ? null : reader.GetString(8));
            events.Add(new StoredEvent(reader.GetInt64(0), e));
        }
        return events;
    }

    public async Task<IReadOnlyList<string>> FindUsersWithStalePendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(StaleUsersSql);
        command.Parameters.Add(PgParameter.Value(olderThan, NpgsqlDbType.Interval));
        command.Parameters.Add(PgParameter.Value(max));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var users = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            users.Add(reader.GetString(0));
        }
        return users;
    }

    public async Task<IReadOnlyList<FailedEvent>> ReadFailedAsync(int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ReadFailedSql);
        command.Parameters.Add(PgParameter.Value(limit));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var failed = new List<FailedEvent>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            failed.Add(new FailedEvent(
                Seq: reader.GetInt64(0),
                Uuid: reader.GetGuid(1),
                DistinctId: reader.GetString(2),
                EventName: reader.GetString(3),
                ReceivedAt: reader.GetFieldValue<DateTimeOffset>(4),
                Reason: reader.IsDBNull(5) ? "" : reader.GetString(5)));
        }
        return failed;
    }

    public async Task<string?> RetryFailedAsync(Guid uuid, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(RetryFailedSql);
        command.Parameters.Add(PgParameter.Value(uuid));
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    public async Task<RawEventCounts> CountAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(CountSql);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new RawEventCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
