using Microsoft.Data.Sqlite;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// How <see cref="EnrichedEvent"/>s become <c>enriched_event</c> rows and back. Inserts ignore rows
/// already present (either id), so re-committing after a crash is harmless.
/// </summary>
internal static class SqliteEnrichedEventRows
{
    public const string Columns = """
        enriched_event_id, raw_event_id, user_id, session_id, event_name, event_type, action_type, semantic_label,
        page_path, page_title, element_type, element_text, sequence_number, timestamp, context, original_timestamp
        """;

    private const string InsertSql = $"""
        INSERT INTO enriched_event ({Columns}, project_id)
        VALUES ($id, $raw_id, $user, $session, $name, $type, $action, $label, $path, $title, $element_type, $element_text, $seq, $ts, $context, $original_ts, $project)
        ON CONFLICT DO NOTHING
        """;

    public static void Insert(SqliteDatabase database, SqliteConnection writer, SqliteTransaction transaction, IReadOnlyList<InProject<EnrichedEvent>> rows)
    {
        var insert = database.Statement(writer, transaction, InsertSql,
            "$id", "$raw_id", "$user", "$session", "$name", "$type", "$action", "$label", "$path", "$title",
            "$element_type", "$element_text", "$seq", "$ts", "$context", "$original_ts", "$project");
        foreach (var (projectId, e) in rows)
        {
            SqliteValues.Bind(insert,
                SqliteValues.Uuid(e.EnrichedEventId), SqliteValues.Uuid(e.RawEventId), e.UserId, e.SessionId, e.EventName,
                e.EventType, e.ActionType, e.SemanticLabel, e.PagePath, e.PageTitle, e.ElementType, e.ElementText,
                e.SequenceNumber, SqliteValues.Time(e.Timestamp), JsonText.Utf8(e.Context.Utf8Json),
                SqliteValues.Time(e.OriginalTimestamp), projectId);
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Reads rows selected as <see cref="Columns"/>.</summary>
    public static List<EnrichedEvent> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var events = new List<EnrichedEvent>();
        while (reader.Read())
        {
            events.Add(Read(reader));
        }
        return events;
    }

    /// <summary>The current row, selected as <see cref="Columns"/>.</summary>
    public static EnrichedEvent Read(SqliteDataReader reader) => new()
    {
        EnrichedEventId = SqliteValues.ReadUuid(reader, 0),
        RawEventId = SqliteValues.ReadUuid(reader, 1),
        UserId = reader.GetString(2),
        SessionId = SqliteValues.ReadNullableString(reader, 3),
        EventName = reader.GetString(4),
        EventType = reader.GetString(5),
        ActionType = reader.GetString(6),
        SemanticLabel = reader.GetString(7),
        PagePath = reader.GetString(8),
        PageTitle = reader.GetString(9),
        ElementType = SqliteValues.ReadNullableString(reader, 10),
        ElementText = SqliteValues.ReadNullableString(reader, 11),
        SequenceNumber = reader.GetInt32(12),
        Timestamp = SqliteValues.ReadTime(reader, 13),
        Context = new EventContext(System.Text.Encoding.UTF8.GetBytes(reader.GetString(14))),
        OriginalTimestamp = SqliteValues.ReadNullableTime(reader, 15),
    };
}
