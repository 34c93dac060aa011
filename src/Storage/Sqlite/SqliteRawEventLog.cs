using SessionInsights.Domain.Events;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// The <c>raw_event</c> log on SQLite: a batch is one IMMEDIATE transaction of one reused prepared
/// INSERT per event, which is what makes SQLite fast (one fsync per batch, no re-parsing).
/// </summary>
internal sealed class SqliteRawEventLog(SqliteDatabase database) : IRawEventLog
{
    private const string InsertSql = """
        INSERT INTO raw_event (raw_event_id, event_name, distinct_id, timestamp, session_id, properties, elements_chain, received_at, client_time, project_id)
        VALUES ($id, $name, $distinct_id, $ts, $session_id, $properties, $chain, $received_at, $client_time, $project)
        ON CONFLICT (raw_event_id) DO NOTHING
        RETURNING seq
        """;

    private const string ReadPendingSql = """
        SELECT r.seq, r.raw_event_id, r.event_name, r.distinct_id, r.timestamp, r.properties, r.elements_chain, r.received_at, r.client_time, r.attempts,
               e.raw_event_id IS NOT NULL, e.session_id, e.sequence_number
        FROM raw_event r
        LEFT JOIN enriched_event e ON e.raw_event_id = r.raw_event_id
        WHERE r.project_id = $project AND r.distinct_id = $user AND r.status = 'PENDING' AND (r.next_retry_at IS NULL OR r.next_retry_at <= $now)
        ORDER BY r.seq
        """;

    private const string StaleUsersSql = """
        SELECT project_id, distinct_id
        FROM raw_event
        WHERE status = 'PENDING' AND received_at < $cutoff AND next_retry_at IS NULL
        GROUP BY project_id, distinct_id
        ORDER BY min(received_at)
        LIMIT $max
        """;

    private const string DueRetriesSql = """
        SELECT project_id, distinct_id
        FROM raw_event
        WHERE next_retry_at <= $now
        GROUP BY project_id, distinct_id
        ORDER BY min(next_retry_at)
        LIMIT $max
        """;

    private const string ReadFailedSql = """
        SELECT project_id, seq, raw_event_id, distinct_id, event_name, received_at, failure_reason, attempts
        FROM raw_event
        WHERE status = 'DEAD_LETTER' AND ($project IS NULL OR project_id = $project)
        ORDER BY seq DESC
        LIMIT $limit
        """;

    // A fresh retry budget: attempts count from 0 again (the dead letter's count is overwritten by the next failure).
    private const string RetryFailedSql = """
        UPDATE raw_event SET status = 'PENDING', failure_reason = NULL, processed_at = NULL, attempts = 0, next_retry_at = NULL
        WHERE raw_event_id = $id AND status = 'DEAD_LETTER'
        RETURNING project_id, distinct_id
        """;

    private const string RetryDeadLettersSql = """
        UPDATE raw_event SET status = 'PENDING', failure_reason = NULL, processed_at = NULL, attempts = 0, next_retry_at = NULL
        WHERE status = 'DEAD_LETTER' AND ($project IS NULL OR project_id = $project)
        RETURNING project_id, distinct_id
        """;

    private const string CountDeadLettersSql = "SELECT count(*) FROM raw_event WHERE status = 'DEAD_LETTER' AND ($project IS NULL OR project_id = $project)";

    private const string CountSql = "SELECT status, count(*) FROM raw_event GROUP BY status";

    public Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<PostHogEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<AppendResult>>([]);
        }
        var batch = new AppendBatch(events);
        return database.WriteAsync(writer =>
        {
            var receivedAt = database.NowMicroseconds();
            var inserted = new Dictionary<Guid, long>(batch.Unique.Count);
            using var transaction = writer.BeginTransaction(deferred: false);
            var insert = database.Statement(writer, transaction, InsertSql,
                "$id", "$name", "$distinct_id", "$ts", "$session_id", "$properties", "$chain", "$received_at", "$client_time", "$project");
            foreach (var e in batch.Unique)
            {
                SqliteValues.Bind(insert,
                    SqliteValues.Uuid(e.Uuid), e.Event, e.DistinctId, SqliteValues.Time(e.Timestamp), e.SessionId,
                    JsonText.Properties(e.Properties), e.ElementsChain, receivedAt, e.ClientTime, e.ProjectId);
                if (insert.ExecuteScalar() is long seq)
                {
                    inserted[e.Uuid] = seq;
                }
            }
            transaction.Commit();
            return batch.Results(inserted);
        }, ct);
    }

    // Rows stored before the event-time bounds existed get them on replay (docs/ingestion.md).
    public Task<IReadOnlyList<StoredEvent>> ReadPendingAsync(long projectId, string userId, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = ReadPendingSql;
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$now", database.NowMicroseconds());
        using var reader = command.ExecuteReader();
        var events = new List<StoredEvent>();
        while (reader.Read())
        {
            var e = new PostHogEvent(
                Uuid: SqliteValues.ReadUuid(reader, 1),
                Event: reader.GetString(2),
                DistinctId: reader.GetString(3),
                Timestamp: EventTime.Bound(SqliteValues.ReadTime(reader, 4), SqliteValues.ReadTime(reader, 7)),
                Properties: JsonText.ParseDetached(reader.GetString(5)),
                ElementsChain: SqliteValues.ReadNullableString(reader, 6),
                ClientTime: SqliteValues.ReadNullableString(reader, 8))
            { ProjectId = projectId };
            events.Add(new StoredEvent(reader.GetInt64(0), e, reader.GetInt32(9))
            {
                // Committed without a snapshot (Grains:SnapshotInterval): replay follows the stored numbering.
                Committed = reader.GetInt64(10) != 0 ? new CommittedRow(SqliteValues.ReadNullableString(reader, 11), reader.GetInt32(12)) : null,
            });
        }
        return Task.FromResult<IReadOnlyList<StoredEvent>>(events);
    }

    public Task<IReadOnlyList<UserRef>> FindUsersWithStalePendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = StaleUsersSql;
        command.Parameters.AddWithValue("$cutoff", SqliteValues.Time(database.Time.GetUtcNow() - olderThan));
        command.Parameters.AddWithValue("$max", max);
        using var reader = command.ExecuteReader();
        var users = new List<UserRef>();
        while (reader.Read())
        {
            users.Add(new UserRef(reader.GetInt64(0), reader.GetString(1)));
        }
        return Task.FromResult<IReadOnlyList<UserRef>>(users);
    }

    public Task<IReadOnlyList<UserRef>> FindUsersWithDueRetriesAsync(int max, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = DueRetriesSql;
        command.Parameters.AddWithValue("$now", database.NowMicroseconds());
        command.Parameters.AddWithValue("$max", max);
        using var reader = command.ExecuteReader();
        var users = new List<UserRef>();
        while (reader.Read())
        {
            users.Add(new UserRef(reader.GetInt64(0), reader.GetString(1)));
        }
        return Task.FromResult<IReadOnlyList<UserRef>>(users);
    }

    public Task<long> CountDeadLettersAsync(long? projectId, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = CountDeadLettersSql;
        command.Parameters.AddWithValue("$project", projectId is { } p ? p : DBNull.Value);
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    public Task<DeadLetterRetry> RetryDeadLettersAsync(long? projectId, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = RetryDeadLettersSql;
            command.Parameters.AddWithValue("$project", projectId is { } p ? p : DBNull.Value);
            using var reader = command.ExecuteReader();
            long events = 0;
            var users = new HashSet<UserRef>();
            while (reader.Read())
            {
                events++;
                users.Add(new UserRef(reader.GetInt64(0), reader.GetString(1)));
            }
            return new DeadLetterRetry(events, [.. users]);
        }, ct);

    public Task<IReadOnlyList<FailedEvent>> ReadFailedAsync(long? projectId, int limit, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = ReadFailedSql;
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$project", projectId is { } p ? p : DBNull.Value);
        using var reader = command.ExecuteReader();
        var failed = new List<FailedEvent>();
        while (reader.Read())
        {
            failed.Add(new FailedEvent(
                ProjectId: reader.GetInt64(0),
                Seq: reader.GetInt64(1),
                Uuid: SqliteValues.ReadUuid(reader, 2),
                DistinctId: reader.GetString(3),
                EventName: reader.GetString(4),
                ReceivedAt: SqliteValues.ReadTime(reader, 5),
                Reason: SqliteValues.ReadNullableString(reader, 6) ?? "",
                Attempts: reader.GetInt32(7)));
        }
        return Task.FromResult<IReadOnlyList<FailedEvent>>(failed);
    }

    public Task<UserRef?> RetryFailedAsync(Guid uuid, CancellationToken ct = default) =>
        database.WriteAsync<UserRef?>(writer =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = RetryFailedSql;
            command.Parameters.AddWithValue("$id", SqliteValues.Uuid(uuid));
            using var reader = command.ExecuteReader();
            return reader.Read() ? new UserRef(reader.GetInt64(0), reader.GetString(1)) : null;
        }, ct);

    public Task<RawEventCounts> CountAsync(CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = CountSql;
        using var reader = command.ExecuteReader();
        long pending = 0, done = 0, failed = 0;
        while (reader.Read())
        {
            var count = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "PENDING": pending = count; break;
                case "DONE": done = count; break;
                case "DEAD_LETTER": failed = count; break;
            }
        }
        return Task.FromResult(new RawEventCounts(pending, done, failed));
    }
}
