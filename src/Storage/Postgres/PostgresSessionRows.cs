using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>How <see cref="SessionRecord"/>s become <c>session</c> rows and back; a grain always writes the whole row.</summary>
internal static class PostgresSessionRows
{
    public const string Columns = """
        session_id, user_id, started_at, last_activity_at, ended_at, event_count, page_views_count, clicks_count,
        first_page, last_page, session_summary, is_active, patterns
        """;

    private const string UpsertSql = $"""
        INSERT INTO session ({Columns}, project_id)
        SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::integer[],
                             $7::integer[], $8::integer[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::jsonb[], $14::bigint[])
        ON CONFLICT (project_id, session_id) DO UPDATE SET
            user_id = excluded.user_id,
            started_at = excluded.started_at,
            last_activity_at = excluded.last_activity_at,
            ended_at = excluded.ended_at,
            event_count = excluded.event_count,
            page_views_count = excluded.page_views_count,
            clicks_count = excluded.clicks_count,
            first_page = excluded.first_page,
            last_page = excluded.last_page,
            session_summary = excluded.session_summary,
            is_active = excluded.is_active,
            patterns = excluded.patterns,
            updated_at = now()
        """;

    /// <param name="inProject">At most one row per project and session id: an upsert may not touch a row twice.</param>
    public static NpgsqlBatchCommand Upsert(IReadOnlyList<InProject<SessionRecord>> inProject)
    {
        var rows = inProject.Select(x => x.Row).ToList();
        var command = new NpgsqlBatchCommand(UpsertSql);
        var p = command.Parameters;
        p.Add(PgParameter.Array(rows.Select(s => s.SessionId).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(s => s.UserId).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(s => StoragePrecision.ToUtcDateTime(s.StartedAt)).ToArray(), NpgsqlDbType.TimestampTz));
        p.Add(PgParameter.Array(rows.Select(s => StoragePrecision.ToUtcDateTime(s.LastActivityAt)).ToArray(), NpgsqlDbType.TimestampTz));
        p.Add(PgParameter.Array(
            rows.Select(s => s.EndedAt is { } ended ? StoragePrecision.ToUtcDateTime(ended) : (DateTime?)null).ToArray(),
            NpgsqlDbType.TimestampTz));
        p.Add(PgParameter.Array(rows.Select(s => s.EventCount).ToArray(), NpgsqlDbType.Integer));
        p.Add(PgParameter.Array(rows.Select(s => s.PageViewsCount).ToArray(), NpgsqlDbType.Integer));
        p.Add(PgParameter.Array(rows.Select(s => s.ClicksCount).ToArray(), NpgsqlDbType.Integer));
        p.Add(PgParameter.Array(rows.Select(s => s.FirstPage).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(s => s.LastPage).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(s => s.Summary).ToArray(), NpgsqlDbType.Text));
        p.Add(PgParameter.Array(rows.Select(s => s.IsActive).ToArray(), NpgsqlDbType.Boolean));
        p.Add(PgParameter.Array(rows.Select(s => JsonText.Patterns(s.PatternsJson)).ToArray(), NpgsqlDbType.Jsonb));
        p.Add(PgParameter.Array(inProject.Select(x => x.ProjectId).ToArray(), NpgsqlDbType.Bigint));
        return command;
    }

    /// <summary>Reads a row selected as <see cref="Columns"/>.</summary>
    public static SessionRecord Read(NpgsqlDataReader reader) => new(
        SessionId: reader.GetString(0),
        UserId: reader.GetString(1),
        StartedAt: reader.GetFieldValue<DateTimeOffset>(2),
        LastActivityAt: reader.GetFieldValue<DateTimeOffset>(3),
        EndedAt: reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        EventCount: reader.GetInt32(5),
        PageViewsCount: reader.GetInt32(6),
        ClicksCount: reader.GetInt32(7),
        FirstPage: reader.GetString(8),
        LastPage: reader.GetString(9),
        Summary: reader.GetString(10),
        IsActive: reader.GetBoolean(11),
        PatternsJson: reader.GetString(12));
}
