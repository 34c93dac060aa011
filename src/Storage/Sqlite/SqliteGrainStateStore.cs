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
        UPDATE raw_event SET status = 'DONE', failure_reason = NULL, processed_at = $now WHERE raw_event_id = $id
        """;

    private const string MarkFailedSql = """
        UPDATE raw_event SET status = 'FAILED', failure_reason = $reason, processed_at = $now WHERE raw_event_id = $id
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

            var failed = database.Statement(writer, transaction, MarkFailedSql, "$reason", "$now", "$id");
            foreach (var failure in plan.Failed)
            {
                SqliteValues.Bind(failed, failure.Reason, now, SqliteValues.Uuid(failure.Uuid));
                failed.ExecuteNonQuery();
            }

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
}
