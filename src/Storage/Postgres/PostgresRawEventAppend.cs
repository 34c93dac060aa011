using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Events;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// Writes a batch of events to <c>raw_event</c> in one transaction, in input order (so seq follows
/// arrival), and reports the seq of each uuid that was new: ON CONFLICT … DO NOTHING RETURNING only
/// returns inserted rows. The caller has already removed in-batch duplicates. Each new row also
/// gets its narrow <c>raw_event_pending</c> row in the same statement: the event waits for its user
/// grain until the grain's commit deletes it (0004_derived_status.sql).
/// </summary>
internal static class PostgresRawEventAppend
{
    // The log row and its pending row in one statement: the pending insert reads the RETURNING rows.
    private const string AlsoPendingSql = """
        ), pending AS (
            INSERT INTO raw_event_pending (raw_event_id, seq, project_id, distinct_id, received_at)
            SELECT raw_event_id, seq, project_id, distinct_id, received_at FROM inserted
        )
        SELECT raw_event_id, seq FROM inserted
        """;

    private const string InsertFromArraysSql = """
        WITH inserted AS (
            INSERT INTO raw_event_log (raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain, client_time, project_id)
            SELECT id, name, distinct_id, ts, session_id, properties, elements_chain, client_time, project_id
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::json[], $7::text[], $8::json[], $9::bigint[])
                 WITH ORDINALITY AS e(id, name, distinct_id, ts, session_id, properties, elements_chain, client_time, project_id, ord)
            ORDER BY ord
            ON CONFLICT (raw_event_id) DO NOTHING
            RETURNING raw_event_id, seq, project_id, distinct_id, received_at
        """ + AlsoPendingSql;

    private const string CreateStagingSql = """
        CREATE TEMP TABLE raw_event_in (
            ord            integer     NOT NULL,
            raw_event_id   uuid        NOT NULL,
            event_name     text        NOT NULL,
            distinct_id    text        NOT NULL,
            "timestamp"    timestamptz NOT NULL,
            session_id     text,
            properties     json        NOT NULL,
            elements_chain text,
            client_time    json,
            project_id     bigint      NOT NULL
        ) ON COMMIT DROP
        """;

    private const string CopyStagingSql = """
        COPY raw_event_in (ord, raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain, client_time, project_id)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string InsertFromStagingSql = """
        WITH inserted AS (
            INSERT INTO raw_event_log (raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain, client_time, project_id)
            SELECT raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain, client_time, project_id
            FROM raw_event_in
            ORDER BY ord
            ON CONFLICT (raw_event_id) DO NOTHING
            RETURNING raw_event_id, seq, project_id, distinct_id, received_at
        """ + AlsoPendingSql;

    /// <summary>One statement over arrays: one round trip, and a single statement is its own transaction.</summary>
    public static async Task<Dictionary<Guid, long>> ByArraysAsync(NpgsqlDataSource dataSource, IReadOnlyList<PostHogEvent> events, CancellationToken ct)
    {
        var count = events.Count;
        var ids = new Guid[count];
        var names = new string[count];
        var distinctIds = new string[count];
        var timestamps = new DateTime[count];
        var sessionIds = new string?[count];
        var properties = new string[count];
        var chains = new string?[count];
        var clientTimes = new string?[count];
        var projects = new long[count];
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
            clientTimes[i] = e.ClientTime;
            projects[i] = e.ProjectId;
        }

        await using var command = dataSource.CreateCommand(InsertFromArraysSql);
        command.Parameters.Add(PgParameter.Array(ids, NpgsqlDbType.Uuid));
        command.Parameters.Add(PgParameter.Array(names, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(distinctIds, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(timestamps, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(PgParameter.Array(sessionIds, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(properties, NpgsqlDbType.Json));
        command.Parameters.Add(PgParameter.Array(chains, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(clientTimes, NpgsqlDbType.Json));
        command.Parameters.Add(PgParameter.Array(projects, NpgsqlDbType.Bigint));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await ReadInsertedAsync(reader, count, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Binary COPY into a transaction-scoped staging table, then one INSERT … SELECT, which adds the
    /// conflict handling COPY lacks; for large batches, where it streams instead of building arrays.
    /// </summary>
    public static async Task<Dictionary<Guid, long>> ByCopyAsync(NpgsqlDataSource dataSource, IReadOnlyList<PostHogEvent> events, CancellationToken ct)
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
                await importer.WriteAsync(JsonText.Properties(e.Properties), NpgsqlDbType.Json, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.ElementsChain, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.ClientTime, NpgsqlDbType.Json, ct).ConfigureAwait(false);
                await importer.WriteAsync(e.ProjectId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
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
}
