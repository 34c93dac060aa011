using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// The <c>raw_event</c> log on PostgreSQL. Appends (see <see cref="PostgresRawEventAppend"/>) are
/// retried whole on deadlock. PENDING is a row in <c>raw_event_pending</c>, FAILED a
/// <c>failure_reason</c>, DONE neither (0004_derived_status.sql); the <c>raw_event</c> view shows them as a status.
/// </summary>
internal sealed class PostgresRawEventLog(NpgsqlDataSource dataSource, int copyThreshold) : IRawEventLog
{
    internal const string ReadPendingSql = """
        SELECT l.seq, l.raw_event_id, l.event_name, l.distinct_id, l."timestamp", l.properties, l.elements_chain, l.received_at, l.client_time
        FROM raw_event_pending p
        JOIN raw_event_log l ON l.raw_event_id = p.raw_event_id
        WHERE p.distinct_id = $1
        ORDER BY p.seq
        """;

    private const string StaleUsersSql = """
        SELECT distinct_id
        FROM raw_event_pending
        WHERE received_at < now() - $1
        GROUP BY distinct_id
        ORDER BY min(received_at)
        LIMIT $2
        """;

    private const string ReadFailedSql = """
        SELECT seq, raw_event_id, distinct_id, event_name, received_at, failure_reason
        FROM raw_event_log
        WHERE failure_reason IS NOT NULL
        ORDER BY seq DESC
        LIMIT $1
        """;

    private const string RetryFailedSql = """
        WITH retried AS (
            UPDATE raw_event_log SET failure_reason = NULL, processed_at = NULL
            WHERE raw_event_id = $1 AND failure_reason IS NOT NULL
            RETURNING raw_event_id, seq, distinct_id, received_at
        ), pending AS (
            INSERT INTO raw_event_pending (raw_event_id, seq, distinct_id, received_at)
            SELECT raw_event_id, seq, distinct_id, received_at FROM retried
            ON CONFLICT DO NOTHING
        )
        SELECT distinct_id FROM retried
        """;

    private const string CountSql = """
        SELECT pending, total - pending - failed, failed
        FROM (SELECT (SELECT count(*) FROM raw_event_pending) AS pending,
                     (SELECT count(*) FROM raw_event_log WHERE failure_reason IS NOT NULL) AS failed,
                     (SELECT count(*) FROM raw_event_log) AS total) c
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

    public async Task<IReadOnlyList<StoredEvent>> ReadPendingAsync(string userId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ReadPendingSql);
        command.Parameters.Add(PgParameter.Value(userId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await ReadPendingRowsAsync(reader, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the rows of <see cref="ReadPendingSql"/>.</summary>
    // Rows stored before the event-time bounds existed get them on replay (docs/ingestion.md).
    internal static async Task<List<StoredEvent>> ReadPendingRowsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
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
