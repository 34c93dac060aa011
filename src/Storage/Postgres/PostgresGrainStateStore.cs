using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// Grain snapshots, <c>enriched_event</c> and <c>session</c> on PostgreSQL. A commit call is one
/// transaction of three round trips: check versions (insert new users' snapshot rows, lock the
/// others'), write everything accepted as one batch (arrays, or a binary COPY first when there are
/// many enriched rows), commit.
/// </summary>
internal sealed class PostgresGrainStateStore(NpgsqlDataSource dataSource, int copyThreshold) : IGrainStateStore
{
    // A user whose grain starts from nothing (expected version 0) has no row to lock. Its snapshot row
    // is inserted outright, final version and state: if another incarnation of the new user got there
    // first (committed, or in flight: the insert waits for it), nothing is inserted and this commit is
    // stale. One heap tuple per new user instead of a placeholder and then its update. A version-0 row
    // (a placeholder written by an older build) counts as no row.
    private const string InsertNewSnapshotsSql = """
        INSERT INTO grain_state AS g (project_id, user_id, version, state)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bytea[]) ORDER BY 1, 2
        ON CONFLICT (project_id, user_id) DO UPDATE SET version = excluded.version, state = excluded.state, updated_at = now()
            WHERE g.version = 0
        RETURNING project_id, user_id
        """;

    private const string LockSnapshotRowsSql = """
        SELECT project_id, user_id, version FROM grain_state
        WHERE (project_id, user_id) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))
        ORDER BY project_id, user_id FOR UPDATE
        """;

    private const string WriteSnapshotsSql = """
        UPDATE grain_state AS g
        SET version = s.version, state = s.state, updated_at = now()
        FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bytea[]) AS s(project_id, user_id, version, state)
        WHERE g.project_id = s.project_id AND g.user_id = s.user_id
        """;

    // DONE is the absence of a pending row (0004_derived_status.sql): no update of the audit log.
    private const string MarkDoneSql = "DELETE FROM raw_event_pending WHERE raw_event_id = ANY($1)";

    // Dead letters: the reason on the audit log, the pending row gone.
    private const string MarkFailedSql = """
        WITH failed AS (
            UPDATE raw_event_log AS r SET failure_reason = f.reason, processed_at = now(), attempts = f.attempts
            FROM unnest($1::uuid[], $2::text[], $3::integer[]) AS f(id, reason, attempts)
            WHERE r.raw_event_id = f.id
            RETURNING r.raw_event_id
        )
        DELETE FROM raw_event_pending WHERE raw_event_id IN (SELECT raw_event_id FROM failed)
        """;

    // Failures to retry stay pending, due again later; the wide log row is not touched.
    private const string ScheduleRetrySql = """
        UPDATE raw_event_pending AS p SET attempts = f.attempts, next_retry_at = now() + f.delay, last_error = f.reason
        FROM unnest($1::uuid[], $2::text[], $3::integer[], $4::interval[]) AS f(id, reason, attempts, delay)
        WHERE p.raw_event_id = f.id
        """;

    private const string LoadUserSql = "SELECT version, state FROM grain_state WHERE project_id = $1 AND user_id = $2 AND version > 0";

    private const string LoadRecentSql = $"""
        SELECT {PostgresEnrichedEventRows.Columns} FROM enriched_event
        WHERE project_id = $1 AND user_id = $2
        ORDER BY "timestamp" DESC, sequence_number DESC
        LIMIT $3
        """;

    private const string LoadRecentOfSnapshotSql = $"""
        SELECT {PostgresEnrichedEventRows.Columns} FROM enriched_event
        WHERE project_id = $1 AND user_id = $2
          AND EXISTS (SELECT 1 FROM grain_state WHERE project_id = $1 AND user_id = $2 AND version > 0)
        ORDER BY "timestamp" DESC, sequence_number DESC
        LIMIT $3
        """;

    private const string LoadRecentSinceSql = $"""
        SELECT {PostgresEnrichedEventRows.Columns} FROM enriched_event
        WHERE project_id = $1 AND user_id = $2 AND "timestamp" >= $4
        ORDER BY "timestamp" DESC, sequence_number DESC
        LIMIT $3
        """;

    private const string LoadSessionSql = $"SELECT {PostgresSessionRows.Columns} FROM session WHERE project_id = $1 AND session_id = $2";

    // The (project_id, user_id, started_at) index read backwards; COLLATE "C" makes the tie-break
    // ordinal, as memory's, whatever the database's collation.
    private const string LoadUserSessionsSql = $"""
        SELECT {PostgresSessionRows.Columns} FROM session
        WHERE project_id = $1 AND user_id = $2
        ORDER BY started_at DESC, session_id COLLATE "C" DESC
        LIMIT $3
        """;

    private const string LoadSessionEventsSql = $"""
        SELECT * FROM (
            SELECT {PostgresEnrichedEventRows.Columns} FROM enriched_event
            WHERE project_id = $1 AND session_id = $2
            ORDER BY "timestamp" DESC, sequence_number DESC
            LIMIT $3) latest
        ORDER BY "timestamp", sequence_number
        """;

    public async Task<UserSnapshot?> LoadUserAsync(long projectId, string userId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(LoadUserSql);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(userId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new UserSnapshot(projectId, userId, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }

    public async Task<UserActivation> LoadUserActivationAsync(long projectId, string userId, int recentLimit, CancellationToken ct = default)
    {
        // One round trip: the three reads as one batch, on one pooled connection.
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        var user = new NpgsqlBatchCommand(LoadUserSql);
        user.Parameters.Add(PgParameter.Value(projectId));
        user.Parameters.Add(PgParameter.Value(userId));
        var pending = new NpgsqlBatchCommand(PostgresRawEventLog.ReadPendingSql);
        pending.Parameters.Add(PgParameter.Value(projectId));
        pending.Parameters.Add(PgParameter.Value(userId));
        // Only a user with a snapshot has stored events; the limit makes the read free for the others.
        var recent = new NpgsqlBatchCommand(LoadRecentOfSnapshotSql);
        recent.Parameters.Add(PgParameter.Value(projectId));
        recent.Parameters.Add(PgParameter.Value(userId));
        recent.Parameters.Add(PgParameter.Value(Math.Max(recentLimit, 0)));
        batch.BatchCommands.Add(user);
        batch.BatchCommands.Add(pending);
        batch.BatchCommands.Add(recent);

        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var snapshot = await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new UserSnapshot(projectId, userId, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
        await reader.NextResultAsync(ct).ConfigureAwait(false);
        var events = await PostgresRawEventLog.ReadPendingRowsAsync(reader, projectId, ct).ConfigureAwait(false);
        await reader.NextResultAsync(ct).ConfigureAwait(false);
        var newestFirst = await PostgresEnrichedEventRows.ReadAllAsync(reader, ct).ConfigureAwait(false);
        newestFirst.Reverse();
        return new UserActivation(snapshot, events, newestFirst);
    }

    public Task<IReadOnlyList<UserRef>> CommitAsync(IReadOnlyList<UserCommit> commits, CancellationToken ct = default) =>
        commits.Count == 0
            ? Task.FromResult<IReadOnlyList<UserRef>>([])
            : PostgresRetry.RunAsync(token => CommitOnceAsync(commits, token), ct);

    private async Task<IReadOnlyList<UserRef>> CommitOnceAsync(IReadOnlyList<UserCommit> commits, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        var (stored, inserted) = await CheckVersionsAsync(connection, transaction, commits, ct).ConfigureAwait(false);
        var plan = CommitPlan.Create(commits, stored);
        if (plan.IsEmpty)
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return plan.StaleUsers;
        }

        var enrichedByCopy = plan.Enriched.Count >= copyThreshold;
        if (enrichedByCopy)
        {
            await PostgresEnrichedEventRows.CopyToStagingAsync(connection, transaction, plan.Enriched, ct).ConfigureAwait(false);
        }

        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            // New users' rows were written final by the version check.
            var updates = plan.Snapshots.Where(x => !inserted.Contains(new UserRef(x.ProjectId, x.UserId))).ToList();
            if (updates.Count > 0)
            {
                batch.BatchCommands.Add(WriteSnapshots(updates));
            }
            if (enrichedByCopy)
            {
                batch.BatchCommands.Add(PostgresEnrichedEventRows.InsertFromStaging());
            }
            else if (plan.Enriched.Count > 0)
            {
                batch.BatchCommands.Add(PostgresEnrichedEventRows.InsertFromArrays(plan.Enriched));
            }
            if (plan.Sessions.Count > 0)
            {
                batch.BatchCommands.Add(PostgresSessionRows.Upsert(plan.Sessions));
            }
            if (plan.Done.Count > 0)
            {
                var done = new NpgsqlBatchCommand(MarkDoneSql);
                done.Parameters.Add(PgParameter.Array(plan.Done.ToArray(), NpgsqlDbType.Uuid));
                batch.BatchCommands.Add(done);
            }
            var deadLetters = plan.Failed.Where(f => f.RetryAfter is null).ToList();
            if (deadLetters.Count > 0)
            {
                var failed = new NpgsqlBatchCommand(MarkFailedSql);
                failed.Parameters.Add(PgParameter.Array(deadLetters.Select(f => f.Uuid).ToArray(), NpgsqlDbType.Uuid));
                failed.Parameters.Add(PgParameter.Array(deadLetters.Select(f => f.Reason).ToArray(), NpgsqlDbType.Text));
                failed.Parameters.Add(PgParameter.Array(deadLetters.Select(f => f.Attempts).ToArray(), NpgsqlDbType.Integer));
                batch.BatchCommands.Add(failed);
            }
            var retries = plan.Failed.Where(f => f.RetryAfter is not null).ToList();
            if (retries.Count > 0)
            {
                var retry = new NpgsqlBatchCommand(ScheduleRetrySql);
                retry.Parameters.Add(PgParameter.Array(retries.Select(f => f.Uuid).ToArray(), NpgsqlDbType.Uuid));
                retry.Parameters.Add(PgParameter.Array(retries.Select(f => f.Reason).ToArray(), NpgsqlDbType.Text));
                retry.Parameters.Add(PgParameter.Array(retries.Select(f => f.Attempts).ToArray(), NpgsqlDbType.Integer));
                retry.Parameters.Add(PgParameter.Array(retries.Select(f => f.RetryAfter!.Value).ToArray(), NpgsqlDbType.Interval));
                batch.BatchCommands.Add(retry);
            }
            if (plan.Webhooks.Count > 0)
            {
                batch.BatchCommands.Add(PostgresWebhookOutbox.Insert(plan.Webhooks));
            }
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return plan.StaleUsers;
    }

    /// <summary>
    /// One round trip: inserts the rows of users new in this call (their first commit expects version
    /// 0) and locks the rows of the others. Returns the versions the plan compares with (an inserted
    /// user counts as "no row yet", a new user someone else inserted first as stale) and the users
    /// whose rows were inserted.
    /// </summary>
    private static async Task<(Dictionary<UserRef, long> Versions, HashSet<UserRef> Inserted)> CheckVersionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<UserCommit> commits, CancellationToken ct)
    {
        var firstExpected = new Dictionary<UserRef, long>();
        foreach (var commit in commits)
        {
            firstExpected.TryAdd(new UserRef(commit.ProjectId, commit.UserId), commit.ExpectedVersion);
        }
        // As if every new user had no row: their final version and state in this call.
        var asNew = CommitPlan.Create(commits, new Dictionary<UserRef, long>()).Snapshots
            .Where(x => firstExpected[new UserRef(x.ProjectId, x.UserId)] == 0)
            .OrderBy(x => x.ProjectId).ThenBy(x => x.UserId, StringComparer.Ordinal)
            .ToList();
        var existing = firstExpected.Where(p => p.Value != 0).Select(p => p.Key)
            .OrderBy(u => u.ProjectId).ThenBy(u => u.DistinctId, StringComparer.Ordinal).ToArray();

        await using var batch = new NpgsqlBatch(connection, transaction);
        if (asNew.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(InsertNewSnapshotsSql);
            insert.Parameters.Add(PgParameter.Array(asNew.Select(x => x.ProjectId).ToArray(), NpgsqlDbType.Bigint));
            insert.Parameters.Add(PgParameter.Array(asNew.Select(x => x.UserId).ToArray(), NpgsqlDbType.Text));
            insert.Parameters.Add(PgParameter.Array(asNew.Select(x => x.Version).ToArray(), NpgsqlDbType.Bigint));
            insert.Parameters.Add(PgParameter.Array(asNew.Select(x => x.State).ToArray(), NpgsqlDbType.Bytea));
            batch.BatchCommands.Add(insert);
        }
        if (existing.Length > 0)
        {
            var lockRows = new NpgsqlBatchCommand(LockSnapshotRowsSql);
            lockRows.Parameters.Add(PgParameter.Array(existing.Select(u => u.ProjectId).ToArray(), NpgsqlDbType.Bigint));
            lockRows.Parameters.Add(PgParameter.Array(existing.Select(u => u.DistinctId).ToArray(), NpgsqlDbType.Text));
            batch.BatchCommands.Add(lockRows);
        }

        var inserted = new HashSet<UserRef>();
        var versions = new Dictionary<UserRef, long>(firstExpected.Count);
        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (asNew.Count > 0)
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                inserted.Add(new UserRef(reader.GetInt64(0), reader.GetString(1)));
            }
            foreach (var x in asNew)
            {
                // Inserted: the plan sees no row and accepts the chain it was built from. Not
                // inserted: a row exists, so "expected 0" is stale.
                var user = new UserRef(x.ProjectId, x.UserId);
                versions[user] = inserted.Contains(user) ? 0 : -1;
            }
            await reader.NextResultAsync(ct).ConfigureAwait(false);
        }
        if (existing.Length > 0)
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                versions[new UserRef(reader.GetInt64(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }
        return (versions, inserted);
    }

    private static NpgsqlBatchCommand WriteSnapshots(IReadOnlyList<UserSnapshot> snapshots)
    {
        var command = new NpgsqlBatchCommand(WriteSnapshotsSql);
        command.Parameters.Add(PgParameter.Array(snapshots.Select(s => s.ProjectId).ToArray(), NpgsqlDbType.Bigint));
        command.Parameters.Add(PgParameter.Array(snapshots.Select(s => s.UserId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(snapshots.Select(s => s.Version).ToArray(), NpgsqlDbType.Bigint));
        command.Parameters.Add(PgParameter.Array(snapshots.Select(s => s.State).ToArray(), NpgsqlDbType.Bytea));
        return command;
    }

    public async Task<IReadOnlyList<EnrichedEvent>> LoadRecentEventsAsync(long projectId, string userId, int limit, DateTimeOffset? since, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(since is null ? LoadRecentSql : LoadRecentSinceSql);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(userId));
        command.Parameters.Add(PgParameter.Value(Math.Max(limit, 0)));
        if (since is { } from)
        {
            command.Parameters.Add(PgParameter.Value(StoragePrecision.ToUtcDateTime(from), NpgsqlDbType.TimestampTz));
        }
        var newestFirst = await PostgresEnrichedEventRows.ReadAllAsync(command, ct).ConfigureAwait(false);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<SessionRecord?> LoadSessionAsync(long projectId, string sessionId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(LoadSessionSql);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(sessionId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }
        return PostgresSessionRows.Read(reader);
    }

    public async Task<IReadOnlyList<SessionRecord>> LoadUserSessionsAsync(long projectId, string userId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(LoadUserSessionsSql);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(userId));
        command.Parameters.Add(PgParameter.Value(Math.Max(limit, 0)));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<SessionRecord>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(PostgresSessionRows.Read(reader));
        }
        return rows;
    }

    public async Task<int> CloseIdleSessionsAsync(DateTimeOffset lastActivityBefore, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE session SET is_active = false, ended_at = last_activity_at, updated_at = now() WHERE is_active AND last_activity_at < $1");
        command.Parameters.Add(PgParameter.Value(StoragePrecision.ToUtcDateTime(lastActivityBefore), NpgsqlTypes.NpgsqlDbType.TimestampTz));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EnrichedEvent>> LoadSessionEventsAsync(long projectId, string sessionId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(LoadSessionEventsSql);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(sessionId));
        command.Parameters.Add(PgParameter.Value(Math.Max(limit, 0)));
        return await PostgresEnrichedEventRows.ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    // Data-modifying CTEs share one snapshot: rows committed after it began (a new person's) are kept.
    private const string EraseUserSql = """
        WITH pending AS (DELETE FROM raw_event_pending WHERE project_id = $1 AND distinct_id = $2 RETURNING raw_event_id),
             raw AS (DELETE FROM raw_event_log WHERE project_id = $1 AND distinct_id = $2 RETURNING 1),
             enriched AS (DELETE FROM enriched_event WHERE project_id = $1 AND user_id = $2 RETURNING 1),
             sessions AS (DELETE FROM session WHERE project_id = $1 AND user_id = $2 RETURNING session_id),
             snapshot AS (DELETE FROM grain_state WHERE project_id = $1 AND user_id = $2 RETURNING 1),
             webhooks AS (DELETE FROM webhook_delivery WHERE project_id = $1 AND user_id = $2 RETURNING 1),
             counts AS (SELECT (SELECT count(*) FROM raw) AS raw, (SELECT count(*) FROM enriched) AS enriched,
                               (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM snapshot) AS snapshots),
             logged AS (INSERT INTO user_deletion (project_id, requested_by, raw_events, enriched_events, sessions, snapshots)
                        SELECT $1, $3, raw, enriched, sessions, snapshots FROM counts RETURNING 1)
        SELECT raw, enriched, sessions, snapshots,
               (SELECT coalesce(array_agg(raw_event_id), '{}') FROM pending),
               (SELECT coalesce(array_agg(session_id), '{}') FROM sessions),
               (SELECT count(*) FROM logged), (SELECT count(*) FROM webhooks)
        FROM counts
        """;

    private const string PruneSql = """
        WITH old AS (
                DELETE FROM raw_event_log l
                USING (SELECT seq FROM raw_event_log ORDER BY seq LIMIT $2) head
                WHERE l.seq = head.seq AND l.received_at < $1
                  AND NOT EXISTS (SELECT 1 FROM raw_event_pending p WHERE p.raw_event_id = l.raw_event_id)
                RETURNING l.raw_event_id),
             enriched AS (DELETE FROM enriched_event e USING old WHERE e.raw_event_id = old.raw_event_id RETURNING 1)
        SELECT (SELECT count(*) FROM old), (SELECT count(*) FROM enriched)
        """;

    public async Task<Erasure> EraseUserAsync(long projectId, string userId, string requestedBy, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(EraseUserSql);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(userId));
        command.Parameters.Add(PgParameter.Value(requestedBy));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new Erasure(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
            reader.GetFieldValue<Guid[]>(4), reader.GetFieldValue<string[]>(5));
    }

    public async Task<(long RawEvents, long EnrichedEvents)> PruneAsync(DateTimeOffset before, int batchSize, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(PruneSql);
        command.Parameters.Add(PgParameter.Value(StoragePrecision.ToUtcDateTime(before), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(PgParameter.Value(batchSize));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
