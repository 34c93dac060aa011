using Npgsql;
using NpgsqlTypes;
using SessionInsights.Grains.Abstractions.Events;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// The <c>raw_event</c> log on PostgreSQL. Appends are the gateway's group-commit path: a batch is
/// one statement over arrays (one round trip) or, when large, a binary COPY into a temporary table
/// followed by one INSERT … SELECT; either way one transaction, and ON CONFLICT tells which uuids were new.
/// </summary>
internal sealed class PostgresRawEventLog(NpgsqlDataSource dataSource, int copyThreshold) : IRawEventLog
{
    private const string InsertFromArraysSql = """
        INSERT INTO raw_event (raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain)
        SELECT id, name, distinct_id, ts, session_id, properties, elements_chain
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::jsonb[], $7::text[])
             WITH ORDINALITY AS e(id, name, distinct_id, ts, session_id, properties, elements_chain, ord)
        ORDER BY ord
        ON CONFLICT (raw_event_id) DO NOTHING
        RETURNING raw_event_id, seq
        """;

    private const string CreateStagingSql = """
        CREATE TEMP TABLE raw_event_in (
            ord            integer     NOT NULL,
            raw_event_id   uuid        NOT NULL,
            event_name     text        NOT NULL,
            distinct_id    text        NOT NULL,
            "timestamp"    timestamptz NOT NULL,
            session_id     text,
            properties     jsonb       NOT NULL,
            elements_chain text
        ) ON COMMIT DROP
        """;

    private const string CopyStagingSql = """
        COPY raw_event_in (ord, raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string InsertFromStagingSql = """
        INSERT INTO raw_event (raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain)
        SELECT raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain
        FROM raw_event_in
        ORDER BY ord
        ON CONFLICT (raw_event_id) DO NOTHING
        RETURNING raw_event_id, seq
        """;

    private const string ReadPendingSql = """
        SELECT seq, raw_event_id, event_name, distinct_id, "timestamp", properties, elements_chain
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
            token => batch.Unique.Count >= copyThreshold ? AppendByCopyAsync(batch.Unique, token) : AppendByArraysAsync(batch.Unique, token),
            ct).ConfigureAwait(false);
        return batch.Results(inserted);
    }

    private async Task<Dictionary<Guid, long>> AppendByArraysAsync(IReadOnlyList<PostHogEvent> events, CancellationToken ct)
    {
        var count = events.Count;
        var ids = new Guid[count];
        var names = new string[count];
        var distinctIds = new string[count];
        var timestamps = new DateTime[count];
        var sessionIds = new string?[count];
        var properties = new string[count];
        var chains = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var e = events[i];
            ids[i] = e.Uuid;
            names[i] = e.Event;
            distinctIds[i] = e.DistinctId;
            timestamps[i] = StoragePrecision.ToUtcDateTime(e.Timestamp);
            sessionIds[i] = e.SessionId;
            properties[i] = JsonText.Properties(e.Properties);
            chains[i] = e.ElementsChain;
        }

        // A single statement is its own transaction: all rows or none.
        await using var command = dataSource.CreateCommand(InsertFromArraysSql);
        command.Parameters.Add(PgParameter.Array(ids, NpgsqlDbType.Uuid));
        command.Parameters.Add(PgParameter.Array(names, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(distinctIds, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(timestamps, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(PgParameter.Array(sessionIds, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(properties, NpgsqlDbType.Jsonb));
        command.Parameters.Add(PgParameter.Array(chains, NpgsqlDbType.Text));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await ReadInsertedAsync(reader, count, ct).ConfigureAwait(false);
    }

    private async Task<Dictionary<Guid, long>> AppendByCopyAsync(IReadOnlyList<PostHogEvent> events, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        await using (var create = new NpgsqlCommand(CreateStagingSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(CopyStagingSql, ct).ConfigureAwait(false))
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                await importer.StartRowAsync(ct).ConfigureAwait(false);
                await importer.WriteAsync(i, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.Uuid, NpgsqlDbType.Uuid, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.Event, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.DistinctId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await importer.WriteAsync(StoragePrecision.ToUtcDateTime(e.Timestamp), NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.SessionId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await importer.WriteAsync(JsonText.Properties(e.Properties), NpgsqlDbType.Jsonb, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.ElementsChain, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }
            await importer.CompleteAsync(ct).ConfigureAwait(false);
        }

        Dictionary<Guid, long> inserted;
        await using (var insert = new NpgsqlCommand(InsertFromStagingSql, connection, transaction))
        await using (var reader = await insert.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            inserted = await ReadInsertedAsync(reader, events.Count, ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return inserted;
    }

    private static async Task<Dictionary<Guid, long>> ReadInsertedAsync(NpgsqlDataReader reader, int capacity, CancellationToken ct)
    {
        var inserted = new Dictionary<Guid, long>(capacity);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            inserted[reader.GetGuid(0)] = reader.GetInt64(1);
        }
        return inserted;
    }

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
                Timestamp: reader.GetFieldValue<DateTimeOffset>(4),
                Properties: JsonText.ParseDetached(reader.GetString(5)),
                ElementsChain: reader.IsDBNull(6) ? null : reader.GetString(6));
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

    public async Task<RawEventCounts> CountAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(CountSql);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new RawEventCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
