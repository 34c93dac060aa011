using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// How <see cref="EnrichedEvent"/>s become <c>enriched_event</c> rows and back. Inserts ignore rows
/// already present (either id), so re-committing after a crash is harmless.
/// </summary>
internal static class PostgresEnrichedEventRows
{
    public const string Columns = """
        enriched_event_id, raw_event_id, user_id, session_id, event_name, event_type, action_type, semantic_label,
        page_path, page_title, element_type, element_text, sequence_number, "timestamp", context, original_timestamp
        """;

    /// <summary>What a row is written with: its columns and its project.</summary>
    private const string WriteColumns = $"{Columns}, project_id";

    private const string InsertFromArraysSql = $"""
        INSERT INTO enriched_event ({WriteColumns})
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                             $9::text[], $10::text[], $11::text[], $12::text[], $13::integer[], $14::timestamptz[], $15::json[], $16::timestamptz[],
                             $17::bigint[])
        ON CONFLICT DO NOTHING
        """;

    private const string CreateStagingSql = "CREATE TEMP TABLE enriched_event_in (LIKE enriched_event) ON COMMIT DROP";

    private const string CopyStagingSql = $"COPY enriched_event_in ({WriteColumns}) FROM STDIN (FORMAT BINARY)";

    private const string InsertFromStagingSql = $"""
        INSERT INTO enriched_event ({WriteColumns})
        SELECT {WriteColumns} FROM enriched_event_in
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Few rows: one statement over arrays, batched with the rest of the commit.</summary>
    public static NpgsqlBatchCommand InsertFromArrays(IReadOnlyList<InProject<EnrichedEvent>> inProject)
    {
        var rows = inProject.Select(x => x.Row).ToList();
        var command = new NpgsqlBatchCommand(InsertFromArraysSql);
        var p = command.Parameters;
        p.Add(PgParameter.Array(rows.Select(e => e.EnrichedEventId).ToArray(), NpgsqlDbType.Uuid));
        p.Add(PgParameter.Array(rows.Select(e => e.RawEventId).ToArray(), NpgsqlDbType.Uuid));
        p.Add(PgParameter.Array(rows.Select(e => e.UserId).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.SessionId).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.EventName).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.EventType).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.ActionType).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.SemanticLabel).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.PagePath).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.PageTitle).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.ElementType).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.ElementText).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(e => e.SequenceNumber).ToArray(), NpgsqlDbType.Integer));
        p.Add(PgParameter.Array(rows.Select(e => StoragePrecision.ToUtcDateTime(e.Timestamp)).ToArray(), NpgsqlDbType.TimestampTz));
        p.Add(PgParameter.Array(rows.Select(e => JsonText.Utf8(e.Context.Utf8Json)).ToArray(), NpgsqlDbType.Json));
        p.Add(PgParameter.Array(rows.Select(e => e.OriginalTimestamp is { } o ? StoragePrecision.ToUtcDateTime(o) : (DateTime?)null).ToArray(), NpgsqlDbType.TimestampTz));
        p.Add(PgParameter.Array(inProject.Select(x => x.ProjectId).ToArray(), NpgsqlDbType.Bigint));
        return command;
    }

    /// <summary>
    /// Many rows: binary COPY into a transaction-scoped staging table; <see cref="InsertFromStaging"/>
    /// then moves them with conflict handling, which COPY itself cannot do.
    /// </summary>
    public static async Task CopyToStagingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<InProject<EnrichedEvent>> rows, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand(CreateStagingSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var importer = await connection.BeginBinaryImportAsync(CopyStagingSql, ct).ConfigureAwait(false);
        foreach (var (projectId, e) in rows)
        {
            await importer.StartRowAsync(ct).ConfigureAwait(false);
            await importer.WriteAsync(e.EnrichedEventId, NpgsqlDbType.Uuid, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.RawEventId, NpgsqlDbType.Uuid, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.UserId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.SessionId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.EventName, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.EventType, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.ActionType, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.SemanticLabel, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.PagePath, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.PageTitle, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.ElementType, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.ElementText, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(e.SequenceNumber, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            await importer.WriteAsync(StoragePrecision.ToUtcDateTime(e.Timestamp), NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
            await importer.WriteAsync(JsonText.Utf8(e.Context.Utf8Json), NpgsqlDbType.Json, ct).ConfigureAwait(false);
            if (e.OriginalTimestamp is { } original)
            {
                await importer.WriteAsync(StoragePrecision.ToUtcDateTime(original), NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
            }
            else
            {
                await importer.WriteNullAsync(ct).ConfigureAwait(false);
            }
            await importer.WriteAsync(projectId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        }
        await importer.CompleteAsync(ct).ConfigureAwait(false);
    }

    public static NpgsqlBatchCommand InsertFromStaging() => new(InsertFromStagingSql);

    /// <summary>Reads rows selected as <see cref="Columns"/>.</summary>
    public static async Task<List<EnrichedEvent>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await ReadAllAsync(reader, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the current result's rows, selected as <see cref="Columns"/>.</summary>
    public static async Task<List<EnrichedEvent>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var events = new List<EnrichedEvent>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            events.Add(Read(reader));
        }
        return events;
    }

    /// <summary>The current row, selected as <see cref="Columns"/>; columns are read in order, so it also serves readers opened with <c>CommandBehavior.SequentialAccess</c>.</summary>
    public static EnrichedEvent Read(NpgsqlDataReader reader) => new()
    {
        EnrichedEventId = reader.GetGuid(0),
        RawEventId = reader.GetGuid(1),
        UserId = reader.GetString(2),
        SessionId = reader.IsDBNull(3) ? null : reader.GetString(3),
        EventName = reader.GetString(4),
        EventType = reader.GetString(5),
        ActionType = reader.GetString(6),
        SemanticLabel = reader.GetString(7),
        PagePath = reader.GetString(8),
        PageTitle = reader.GetString(9),
        ElementType = reader.IsDBNull(10) ? null : reader.GetString(10),
        ElementText = reader.IsDBNull(11) ? null : reader.GetString(11),
        SequenceNumber = reader.GetInt32(12),
        Timestamp = reader.GetFieldValue<DateTimeOffset>(13),
        Context = new EventContext(System.Text.Encoding.UTF8.GetBytes(reader.GetString(14))),
        OriginalTimestamp = reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15),
    };
}
