using Microsoft.Data.Sqlite;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// Grain snapshots, <c>enriched_event</c> and <c>session</c> on SQLite. A commit call is one
/// IMMEDIATE transaction: holding SQLite's write lock from the start makes reading the versions
/// and writing the accepted commits one atomic step, even against another process.
/// </summary>
internal sealed class SqliteGrainStateStore(SqliteDatabase database) : IGrainStateStore
{
    private const string SelectVersionSql = "SELECT version FROM grain_state WHERE user_id = $user";

    private const string UpsertSnapshotSql = """
        INSERT INTO grain_state (user_id, version, state, updated_at) VALUES ($user, $version, $state, $now)
        ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, state = excluded.state, updated_at = excluded.updated_at
        """;

    private const string EnrichedColumns = """
        enriched_event_id, raw_event_id, user_id, session_id, event_name, event_type, action_type, semantic_label,
        page_path, page_title, element_type, element_text, sequence_number, timestamp, context
        """;

    private const string InsertEnrichedSql = $"""
        INSERT INTO enriched_event ({EnrichedColumns})
        VALUES ($id, $raw_id, $user, $session, $name, $type, $action, $label, $path, $title, $element_type, $element_text, $seq, $ts, $context)
        ON CONFLICT DO NOTHING
        """;

    private const string SessionColumns = """
        session_id, user_id, started_at, last_activity_at, ended_at, event_count, page_views_count, clicks_count,
        first_page, last_page, session_summary, is_active, patterns
        """;

    private const string UpsertSessionSql = $"""
        INSERT INTO session ({SessionColumns}, updated_at)
        VALUES ($id, $user, $started, $last, $ended, $events, $views, $clicks, $first, $last_page, $summary, $active, $patterns, $now)
        ON CONFLICT (session_id) DO UPDATE SET
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

    private const string MarkDoneSql = """
        UPDATE raw_event SET status = 'DONE', failure_reason = NULL, processed_at = $now WHERE raw_event_id = $id
        """;

    private const string MarkFailedSql = """
        UPDATE raw_event SET status = 'FAILED', failure_reason = $reason, processed_at = $now WHERE raw_event_id = $id
        """;

    public Task<UserSnapshot?> LoadUserAsync(string userId, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, state FROM grain_state WHERE user_id = $user AND version > 0";
        command.Parameters.AddWithValue("$user", userId);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read()
            ? new UserSnapshot(userId, reader.GetInt64(0), (byte[])reader.GetValue(1))
            : null);
    }

    public Task<IReadOnlyList<string>> CommitAsync(IReadOnlyList<UserCommit> commits, CancellationToken ct = default)
    {
        if (commits.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        return database.WriteAsync(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            var plan = CommitPlan.Create(commits, ReadVersions(writer, transaction, CommitPlan.DistinctUserIds(commits)));
            if (plan.IsEmpty)
            {
                transaction.Rollback();
                return plan.StaleUserIds;
            }

            var now = database.NowMicroseconds();
            var snapshot = database.Statement(writer, transaction, UpsertSnapshotSql, "$user", "$version", "$state", "$now");
            foreach (var s in plan.Snapshots)
            {
                SqliteValues.Bind(snapshot, s.UserId, s.Version, s.State, now);
                snapshot.ExecuteNonQuery();
            }

            var enriched = database.Statement(writer, transaction, InsertEnrichedSql,
                "$id", "$raw_id", "$user", "$session", "$name", "$type", "$action", "$label", "$path", "$title",
                "$element_type", "$element_text", "$seq", "$ts", "$context");
            foreach (var e in plan.Enriched)
            {
                SqliteValues.Bind(enriched,
                    SqliteValues.Uuid(e.EnrichedEventId), SqliteValues.Uuid(e.RawEventId), e.UserId, e.SessionId, e.EventName,
                    e.EventType, e.ActionType, e.SemanticLabel, e.PagePath, e.PageTitle, e.ElementType, e.ElementText,
                    e.SequenceNumber, SqliteValues.Time(e.Timestamp), JsonText.Utf8(e.Context.Utf8Json));
                enriched.ExecuteNonQuery();
            }

            var session = database.Statement(writer, transaction, UpsertSessionSql,
                "$id", "$user", "$started", "$last", "$ended", "$events", "$views", "$clicks", "$first", "$last_page",
                "$summary", "$active", "$patterns", "$now");
            foreach (var s in plan.Sessions)
            {
                SqliteValues.Bind(session,
                    s.SessionId, s.UserId, SqliteValues.Time(s.StartedAt), SqliteValues.Time(s.LastActivityAt),
                    SqliteValues.Time(s.EndedAt), s.EventCount, s.PageViewsCount, s.ClicksCount, s.FirstPage, s.LastPage,
                    s.Summary, s.IsActive ? 1 : 0, JsonText.Patterns(s.PatternsJson), now);
                session.ExecuteNonQuery();
            }

            var done = database.Statement(writer, transaction, MarkDoneSql, "$now", "$id");
            foreach (var uuid in plan.Done)
            {
                SqliteValues.Bind(done, now, SqliteValues.Uuid(uuid));
                done.ExecuteNonQuery();
            }

            var failed = database.Statement(writer, transaction, MarkFailedSql, "$reason", "$now", "$id");
            foreach (var failure in plan.Failed)
            {
                SqliteValues.Bind(failed, failure.Reason, now, SqliteValues.Uuid(failure.Uuid));
                failed.ExecuteNonQuery();
            }

            transaction.Commit();
            return plan.StaleUserIds;
        }, ct);
    }

    private Dictionary<string, long> ReadVersions(SqliteConnection writer, SqliteTransaction transaction, string[] userIds)
    {
        var select = database.Statement(writer, transaction, SelectVersionSql, "$user");
        var versions = new Dictionary<string, long>(userIds.Length, StringComparer.Ordinal);
        foreach (var userId in userIds)
        {
            SqliteValues.Bind(select, userId);
            if (select.ExecuteScalar() is long version)
            {
                versions[userId] = version;
            }
        }
        return versions;
    }

    public Task<IReadOnlyList<EnrichedEvent>> LoadRecentEventsAsync(string userId, int limit, DateTimeOffset? since, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {EnrichedColumns} FROM enriched_event
            WHERE user_id = $user AND timestamp >= $since
            ORDER BY timestamp DESC, sequence_number DESC
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$since", since is { } from ? SqliteValues.Time(from) : long.MinValue);
        command.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
        var newestFirst = ReadEnriched(command);
        newestFirst.Reverse();
        return Task.FromResult<IReadOnlyList<EnrichedEvent>>(newestFirst);
    }

    public Task<SessionRecord?> LoadSessionAsync(string sessionId, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SessionColumns} FROM session WHERE session_id = $id";
        command.Parameters.AddWithValue("$id", sessionId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return Task.FromResult<SessionRecord?>(null);
        }
        return Task.FromResult<SessionRecord?>(new SessionRecord(
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
            PatternsJson: reader.GetString(12)));
    }

    public Task<IReadOnlyList<EnrichedEvent>> LoadSessionEventsAsync(string sessionId, int limit, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {EnrichedColumns} FROM enriched_event
            WHERE session_id = $id
            ORDER BY timestamp, sequence_number
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
        return Task.FromResult<IReadOnlyList<EnrichedEvent>>(ReadEnriched(command));
    }

    private static List<EnrichedEvent> ReadEnriched(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var events = new List<EnrichedEvent>();
        while (reader.Read())
        {
            events.Add(new EnrichedEvent
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
            });
        }
        return events;
    }
}
