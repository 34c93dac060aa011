using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// The <c>raw_event</c> log on PostgreSQL. Appends (see <see cref="PostgresRawEventAppend"/>) are
/// retried whole on deadlock. PENDING is a row in <c>raw_event_pending</c> (with a retry time when
/// an automatic retry waits), DEAD_LETTER a <c>failure_reason</c>, DONE neither (0004_derived_status.sql,
/// 0008_dead_letters.sql); the <c>raw_event</c> view shows them as a status.
/// </summary>
internal sealed class PostgresRawEventLog(NpgsqlDataSource dataSource, int copyThreshold) : IRawEventLog
{
    internal const string ReadPendingSql = """
        SELECT l.seq, l.raw_event_id, l.event_name, l.distinct_id, l."timestamp", l.properties, l.elements_chain, l.received_at, l.client_time, p.attempts,
               e.raw_event_id IS NOT NULL, e.session_id, e.sequence_number
        FROM raw_event_pending p
        JOIN raw_event_log l ON l.raw_event_id = p.raw_event_id
        -- Only a user with a snapshot can have committed rows (a first commit always writes one): the
        -- uncorrelated EXISTS runs once, and a new user's events skip a cold probe of enriched_event's key.
        LEFT JOIN enriched_event e ON e.raw_event_id = p.raw_event_id
            AND EXISTS (SELECT 1 FROM grain_state g WHERE g.project_id = $1 AND g.user_id = $2 AND g.version > 0)
        WHERE p.project_id = $1 AND p.distinct_id = $2 AND (p.next_retry_at IS NULL OR p.next_retry_at <= now())
        ORDER BY p.seq
        """;

    private const string StaleUsersSql = """
        SELECT project_id, distinct_id
        FROM raw_event_pending
        WHERE received_at < now() - $1 AND next_retry_at IS NULL
        GROUP BY project_id, distinct_id
        ORDER BY min(received_at)
        LIMIT $2
        """;

    // A partial index holds only the events waiting for a retry: cheap whatever the pending backlog.
    private const string DueRetriesSql = """
        SELECT project_id, distinct_id
        FROM raw_event_pending
        WHERE next_retry_at <= now()
        GROUP BY project_id, distinct_id
        ORDER BY min(next_retry_at)
        LIMIT $1
        """;

    // $2 null: every project's (operators). The partial index serves both: failures are few.
    private const string ReadFailedSql = """
        SELECT project_id, seq, raw_event_id, distinct_id, event_name, received_at, failure_reason, attempts
        FROM raw_event_log
        WHERE failure_reason IS NOT NULL AND ($2::bigint IS NULL OR project_id = $2)
        ORDER BY seq DESC
        LIMIT $1
        """;

    private const string CountDeadLettersSql = """
        SELECT count(*) FROM raw_event_log WHERE failure_reason IS NOT NULL AND ($1::bigint IS NULL OR project_id = $1)
        """;

    // A fresh pending row: attempts 0, due now. The log keeps the dead letter's attempts as history.
    private const string RetryDeadLettersSql = """
        WITH retried AS (
            UPDATE raw_event_log SET failure_reason = NULL, processed_at = NULL
            WHERE failure_reason IS NOT NULL AND ($1::bigint IS NULL OR project_id = $1)
            RETURNING raw_event_id, seq, project_id, distinct_id, received_at
        ), pending AS (
            INSERT INTO raw_event_pending (raw_event_id, seq, project_id, distinct_id, received_at)
            SELECT raw_event_id, seq, project_id, distinct_id, received_at FROM retried
            ON CONFLICT DO NOTHING
        )
        SELECT project_id, distinct_id, count(*) FROM retried GROUP BY project_id, distinct_id
        """;

    private const string RetryFailedSql = """
        WITH retried AS (
            UPDATE raw_event_log SET failure_reason = NULL, processed_at = NULL
            WHERE raw_event_id = $1 AND failure_reason IS NOT NULL
            RETURNING raw_event_id, seq, project_id, distinct_id, received_at
        ), pending AS (
            INSERT INTO raw_event_pending (raw_event_id, seq, project_id, distinct_id, received_at)
            SELECT raw_event_id, seq, project_id, distinct_id, received_at FROM retried
            ON CONFLICT DO NOTHING
        )
        SELECT project_id, distinct_id FROM retried
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

    public async Task<IReadOnlyList<StoredEvent>> ReadPendingAsync(long projectId, string userId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ReadPendingSql);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(userId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await ReadPendingRowsAsync(reader, projectId, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the rows of <see cref="ReadPendingSql"/>.</summary>
    // Rows stored before the event-time bounds existed get them on replay (docs/ingestion.md).
    internal static async Task<List<StoredEvent>> ReadPendingRowsAsync(NpgsqlDataReader reader, long projectId, CancellationToken ct)
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
                ClientTime: reader.IsDBNull(8) ? null : reader.GetString(8))
            { ProjectId = projectId };
            events.Add(new StoredEvent(reader.GetInt64(0), e, reader.GetInt32(9))
            {
                // Committed without a snapshot (Grains:SnapshotInterval): replay follows the stored numbering.
                Committed = reader.GetBoolean(10) ? new CommittedRow(reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetInt32(12)) : null,
            });
        }
        return events;
    }

    public async Task<IReadOnlyList<UserRef>> FindUsersWithStalePendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(StaleUsersSql);
        command.Parameters.Add(PgParameter.Value(olderThan, NpgsqlDbType.Interval));
        command.Parameters.Add(PgParameter.Value(max));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var users = new List<UserRef>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            users.Add(new UserRef(reader.GetInt64(0), reader.GetString(1)));
        }
        return users;
    }

    public async Task<IReadOnlyList<UserRef>> FindUsersWithDueRetriesAsync(int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(DueRetriesSql);
        command.Parameters.Add(PgParameter.Value(max));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var users = new List<UserRef>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            users.Add(new UserRef(reader.GetInt64(0), reader.GetString(1)));
        }
        return users;
    }

    public async Task<long> CountDeadLettersAsync(long? projectId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(CountDeadLettersSql);
        command.Parameters.Add(PgParameter.Value(projectId, NpgsqlDbType.Bigint));
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public async Task<DeadLetterRetry> RetryDeadLettersAsync(long? projectId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(RetryDeadLettersSql);
        command.Parameters.Add(PgParameter.Value(projectId, NpgsqlDbType.Bigint));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var users = new List<UserRef>();
        long events = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            users.Add(new UserRef(reader.GetInt64(0), reader.GetString(1)));
            events += reader.GetInt64(2);
        }
        return new DeadLetterRetry(events, users);
    }

    public async Task<IReadOnlyList<FailedEvent>> ReadFailedAsync(long? projectId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ReadFailedSql);
        command.Parameters.Add(PgParameter.Value(limit));
        command.Parameters.Add(PgParameter.Value(projectId, NpgsqlDbType.Bigint));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var failed = new List<FailedEvent>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            failed.Add(new FailedEvent(
                ProjectId: reader.GetInt64(0),
                Seq: reader.GetInt64(1),
                Uuid: reader.GetGuid(2),
                DistinctId: reader.GetString(3),
                EventName: reader.GetString(4),
                ReceivedAt: reader.GetFieldValue<DateTimeOffset>(5),
                Reason: reader.IsDBNull(6) ? "" : reader.GetString(6),
                Attempts: reader.GetInt32(7)));
        }
        return failed;
    }

    public async Task<UserRef?> RetryFailedAsync(Guid uuid, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(RetryFailedSql);
        command.Parameters.Add(PgParameter.Value(uuid));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? new UserRef(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    public async Task<RawEventCounts> CountAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(CountSql);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new RawEventCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
