using Microsoft.Data.Sqlite;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Sqlite;

/// <summary>How <see cref="SessionRecord"/>s become <c>session</c> rows and back; a grain always writes the whole row.</summary>
internal static class SqliteSessionRows
{
    public const string Columns = """
        session_id, user_id, started_at, last_activity_at, ended_at, event_count, page_views_count, clicks_count,
        first_page, last_page, session_summary, is_active, patterns
        """;

    private const string UpsertSql = $"""
        INSERT INTO session ({Columns}, updated_at, project_id)
        VALUES ($id, $user, $started, $last, $ended, $events, $views, $clicks, $first, $last_page, $summary, $active, $patterns, $now, $project)
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
            updated_at = excluded.updated_at
        """;

    public static void Upsert(
        SqliteDatabase database, SqliteConnection writer, SqliteTransaction transaction, IReadOnlyList<InProject<SessionRecord>> rows, long now)
    {
        var upsert = database.Statement(writer, transaction, UpsertSql,
            "$id", "$user", "$started", "$last", "$ended", "$events", "$views", "$clicks", "$first", "$last_page",
            "$summary", "$active", "$patterns", "$now", "$project");
        foreach (var (projectId, s) in rows)
        {
            SqliteValues.Bind(upsert,
                s.SessionId, s.UserId, SqliteValues.Time(s.StartedAt), SqliteValues.Time(s.LastActivityAt),
                SqliteValues.Time(s.EndedAt), s.EventCount, s.PageViewsCount, s.ClicksCount, s.FirstPage, s.LastPage,
                s.Summary, s.IsActive ? 1 : 0, JsonText.Patterns(s.PatternsJson), now, projectId);
            upsert.ExecuteNonQuery();
        }
    }

    /// <summary>Reads a row selected as <see cref="Columns"/>.</summary>
    public static SessionRecord Read(SqliteDataReader reader) => new(
        SessionId: reader.GetString(0),
        UserId: reader.GetString(1),
        StartedAt: SqliteValues.ReadTime(reader, 2),
        LastActivityAt: SqliteValues.ReadTime(reader, 3),
        EndedAt: SqliteValues.ReadNullableTime(reader, 4),
        EventCount: reader.GetInt32(5),
        PageViewsCount: reader.GetInt32(6),
        ClicksCount: reader.GetInt32(7),
        FirstPage: reader.GetString(8),
        LastPage: reader.GetString(9),
        Summary: reader.GetString(10),
        IsActive: reader.GetInt64(11) != 0,
        PatternsJson: reader.GetString(12));
}
