using Microsoft.Data.Sqlite;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// Grain snapshots, <c>enriched_event</c> and <c>session</c> on SQLite. A commit call is one
/// IMMEDIATE transaction: holding SQLite's write lock from the start makes reading the versions
/// and writing the accepted commits one atomic step, even against another process.
/// </summary>
internal sealed class SqliteGrainStateStore(SqliteDatabase database) : IGrainStateStore
{
    private readonly SqliteRawEventLog _rawLog = new(database);

    private const string SelectVersionSql = "SELECT version FROM grain_state WHERE project_id = $project AND user_id = $user";

    private const string UpsertSnapshotSql = """
        INSERT INTO grain_state (project_id, user_id, version, state, updated_at) VALUES ($project, $user, $version, $state, $now)
        ON CONFLICT (project_id, user_id) DO UPDATE SET version = excluded.version, state = excluded.state, updated_at = excluded.updated_at
        """;

    private const string MarkDoneSql = """
        UPDATE raw_event SET status = 'DONE', failure_reason = NULL, processed_at = $now, next_retry_at = NULL WHERE raw_event_id = $id
        """;

    // Without a retry time: a dead letter. With one: PENDING still, due again then, the last error kept.
    private const string MarkFailedSql = """
        UPDATE raw_event SET status = CASE WHEN $retry_at IS NULL THEN 'DEAD_LETTER' ELSE 'PENDING' END,
            failure_reason = $reason, attempts = $attempts, next_retry_at = $retry_at,
            processed_at = CASE WHEN $retry_at IS NULL THEN $now END
        WHERE raw_event_id = $id
        """;

    public Task<UserSnapshot?> LoadUserAsync(long projectId, string userId, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, state FROM grain_state WHERE project_id = $project AND user_id = $user AND version > 0";
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$user", userId);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read()
            ? new UserSnapshot(projectId, userId, reader.GetInt64(0), (byte[])reader.GetValue(1))
            : null);
    }

    public async Task<UserActivation> LoadUserActivationAsync(long projectId, string userId, int recentLimit, CancellationToken ct = default)
    {
        // In-process reads: nothing to save by batching them.
        var snapshot = await LoadUserAsync(projectId, userId, ct).ConfigureAwait(false);
        var pending = await _rawLog.ReadPendingAsync(projectId, userId, ct).ConfigureAwait(false);
        var recent = snapshot is null ? [] : await LoadRecentEventsAsync(projectId, userId, recentLimit, since: null, ct).ConfigureAwait(false);
        return new UserActivation(snapshot, pending, recent);
    }

    public Task<IReadOnlyList<UserRef>> CommitAsync(IReadOnlyList<UserCommit> commits, CancellationToken ct = default)
    {
        if (commits.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<UserRef>>([]);
        }
        return database.WriteAsync(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            var plan = CommitPlan.Create(commits, ReadVersions(writer, transaction, commits));
            if (plan.IsEmpty)
            {
                transaction.Rollback();
                return plan.StaleUsers;
            }

            var now = database.NowMicroseconds();
            var snapshot = database.Statement(writer, transaction, UpsertSnapshotSql, "$project", "$user", "$version", "$state", "$now");
            foreach (var s in plan.Snapshots)
            {
                SqliteValues.Bind(snapshot, s.ProjectId, s.UserId, s.Version, s.State, now);
                snapshot.ExecuteNonQuery();
            }

            SqliteEnrichedEventRows.Insert(database, writer, transaction, plan.Enriched);
            SqliteSessionRows.Upsert(database, writer, transaction, plan.Sessions, now);

            var done = database.Statement(writer, transaction, MarkDoneSql, "$now", "$id");
            foreach (var uuid in plan.Done)
            {
                SqliteValues.Bind(done, now, SqliteValues.Uuid(uuid));
                done.ExecuteNonQuery();
            }

            var failed = database.Statement(writer, transaction, MarkFailedSql, "$retry_at", "$reason", "$attempts", "$now", "$id");
            foreach (var failure in plan.Failed)
            {
                object retryAt = failure.RetryAfter is { } after ? now + (after.Ticks / TimeSpan.TicksPerMicrosecond) : DBNull.Value;
                SqliteValues.Bind(failed, retryAt, failure.Reason, failure.Attempts, now, SqliteValues.Uuid(failure.Uuid));
                failed.ExecuteNonQuery();
            }

            SqliteWebhookOutbox.Insert(database, writer, transaction, plan.Webhooks, now);

            transaction.Commit();
            return plan.StaleUsers;
        }, ct);
    }

    private Dictionary<UserRef, long> ReadVersions(SqliteConnection writer, SqliteTransaction transaction, IReadOnlyList<UserCommit> commits)
    {
        var select = database.Statement(writer, transaction, SelectVersionSql, "$project", "$user");
        var versions = new Dictionary<UserRef, long>();
        foreach (var user in commits.Select(c => new UserRef(c.ProjectId, c.UserId)).Distinct())
        {
            SqliteValues.Bind(select, user.ProjectId, user.DistinctId);
            if (select.ExecuteScalar() is long version)
            {
                versions[user] = version;
            }
        }
        return versions;
    }

    public Task<IReadOnlyList<EnrichedEvent>> LoadRecentEventsAsync(long projectId, string userId, int limit, DateTimeOffset? since, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SqliteEnrichedEventRows.Columns} FROM enriched_event
            WHERE project_id = $project AND user_id = $user AND timestamp >= $since
            ORDER BY timestamp DESC, sequence_number DESC
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$since", since is { } from ? SqliteValues.Time(from) : long.MinValue);
        command.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
        var newestFirst = SqliteEnrichedEventRows.ReadAll(command);
        newestFirst.Reverse();
        return Task.FromResult<IReadOnlyList<EnrichedEvent>>(newestFirst);
    }

    public Task<SessionRecord?> LoadSessionAsync(long projectId, string sessionId, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteSessionRows.Columns} FROM session WHERE project_id = $project AND session_id = $id";
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$id", sessionId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return Task.FromResult<SessionRecord?>(null);
        }
        return Task.FromResult<SessionRecord?>(SqliteSessionRows.Read(reader));
    }

    public Task<IReadOnlyList<SessionRecord>> LoadUserSessionsAsync(long projectId, string userId, int limit, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        // The (project_id, user_id, started_at) index read backwards; BINARY collation is ordinal.
        command.CommandText = $"""
            SELECT {SqliteSessionRows.Columns} FROM session
            WHERE project_id = $project AND user_id = $user
            ORDER BY started_at DESC, session_id DESC
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
        using var reader = command.ExecuteReader();
        var rows = new List<SessionRecord>();
        while (reader.Read())
        {
            rows.Add(SqliteSessionRows.Read(reader));
        }
        return Task.FromResult<IReadOnlyList<SessionRecord>>(rows);
    }

    public Task<int> CloseIdleSessionsAsync(DateTimeOffset lastActivityBefore, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = "UPDATE session SET is_active = 0, ended_at = last_activity_at, updated_at = $now WHERE is_active = 1 AND last_activity_at < $before";
            command.Parameters.AddWithValue("$now", database.NowMicroseconds());
            command.Parameters.AddWithValue("$before", SqliteValues.Time(lastActivityBefore));
            return command.ExecuteNonQuery();
        }, ct);

    public Task<IReadOnlyList<EnrichedEvent>> LoadSessionEventsAsync(long projectId, string sessionId, int limit, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT * FROM (
                SELECT {SqliteEnrichedEventRows.Columns} FROM enriched_event
                WHERE project_id = $project AND session_id = $id
                ORDER BY timestamp DESC, sequence_number DESC
                LIMIT $limit)
            ORDER BY timestamp, sequence_number
            """;
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
        return Task.FromResult<IReadOnlyList<EnrichedEvent>>(SqliteEnrichedEventRows.ReadAll(command));
    }

    public Task<Erasure> EraseUserAsync(long projectId, string userId, string requestedBy, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            var pending = Strings(writer, transaction,
                "SELECT raw_event_id FROM raw_event WHERE project_id = $p AND distinct_id = $u AND status = 'PENDING'", projectId, userId);
            var sessions = Strings(writer, transaction, "SELECT session_id FROM session WHERE project_id = $p AND user_id = $u", projectId, userId);
            var raw = Delete(writer, transaction, "DELETE FROM raw_event WHERE project_id = $p AND distinct_id = $u", projectId, userId);
            var enriched = Delete(writer, transaction, "DELETE FROM enriched_event WHERE project_id = $p AND user_id = $u", projectId, userId);
            var sessionRows = Delete(writer, transaction, "DELETE FROM session WHERE project_id = $p AND user_id = $u", projectId, userId);
            var snapshots = Delete(writer, transaction, "DELETE FROM grain_state WHERE project_id = $p AND user_id = $u", projectId, userId);
            // Webhook payloads name the user: they go with the rest of the person (not counted in the deletion record).
            Delete(writer, transaction, "DELETE FROM webhook_delivery WHERE project_id = $p AND user_id = $u", projectId, userId);
            using (var record = writer.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = """
                    INSERT INTO user_deletion (project_id, requested_by, requested_at, raw_events, enriched_events, sessions, snapshots)
                    VALUES ($p, $by, $now, $raw, $enriched, $sessions, $snapshots)
                    """;
                record.Parameters.AddWithValue("$p", projectId);
                record.Parameters.AddWithValue("$by", requestedBy);
                record.Parameters.AddWithValue("$now", database.NowMicroseconds());
                record.Parameters.AddWithValue("$raw", raw);
                record.Parameters.AddWithValue("$enriched", enriched);
                record.Parameters.AddWithValue("$sessions", sessionRows);
                record.Parameters.AddWithValue("$snapshots", snapshots);
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            return new Erasure(raw, enriched, sessionRows, snapshots, [.. pending.Select(Guid.Parse)], sessions);
        }, ct);

    public Task<(long RawEvents, long EnrichedEvents)> PruneAsync(DateTimeOffset before, int batchSize, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            using var old = writer.CreateCommand();
            old.Transaction = transaction;
            old.CommandText = """
                SELECT seq, raw_event_id FROM (SELECT seq, raw_event_id, received_at, status FROM raw_event ORDER BY seq LIMIT $n)
                WHERE received_at < $before AND status <> 'PENDING'
                """;
            old.Parameters.AddWithValue("$n", batchSize);
            old.Parameters.AddWithValue("$before", SqliteValues.Time(before));
            var rows = new List<(long Seq, string Uuid)>();
            using (var reader = old.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            long enriched = 0;
            var deleteRaw = database.Statement(writer, transaction, "DELETE FROM raw_event WHERE seq = $seq", "$seq");
            var deleteEnriched = database.Statement(writer, transaction, "DELETE FROM enriched_event WHERE raw_event_id = $id", "$id");
            foreach (var (seq, uuid) in rows)
            {
                SqliteValues.Bind(deleteRaw, seq);
                deleteRaw.ExecuteNonQuery();
                SqliteValues.Bind(deleteEnriched, uuid);
                enriched += deleteEnriched.ExecuteNonQuery();
            }
            transaction.Commit();
            return ((long)rows.Count, enriched);
        }, ct);

    private static List<string> Strings(SqliteConnection writer, SqliteTransaction transaction, string sql, long projectId, string userId)
    {
        using var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$u", userId);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static long Delete(SqliteConnection writer, SqliteTransaction transaction, string sql, long projectId, string userId)
    {
        using var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$u", userId);
        return command.ExecuteNonQuery();
    }
}
