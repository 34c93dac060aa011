using Microsoft.Data.Sqlite;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// The webhook outbox on SQLite (0006_webhooks.sql). One process writes the file, so a claim is a
/// select and a lease update inside the writer's transaction; the lease still matters, as an attempt
/// runs after that transaction.
/// </summary>
internal sealed class SqliteWebhookOutbox(SqliteDatabase database) : IWebhookOutbox
{
    private const string Columns = """
        delivery_id, endpoint, project_id, user_id, session_id, pattern_code, kind, fired_at, payload,
        state, attempts, next_attempt_at, last_status, last_error, finished_at
        """;

    private const string ListColumns = """
        delivery_id, endpoint, project_id, user_id, session_id, pattern_code, kind, fired_at, '' AS payload,
        state, attempts, CASE WHEN state = 'pending' THEN next_attempt_at END, last_status, last_error, finished_at
        """;

    private const string InsertSql = """
        INSERT INTO webhook_delivery (delivery_id, endpoint, project_id, user_id, session_id, pattern_code, kind, fired_at, payload, next_attempt_at)
        VALUES ($id, $endpoint, $project, $user, $session, $code, $kind, $fired, $payload, $now)
        ON CONFLICT (delivery_id, endpoint) DO NOTHING
        """;

    private const string DueSql = $"""
        SELECT {Columns} FROM webhook_delivery
        WHERE state = 'pending' AND next_attempt_at <= $now AND (lease_until IS NULL OR lease_until <= $now)
        ORDER BY next_attempt_at
        LIMIT $limit
        """;

    private const string LeaseSql = "UPDATE webhook_delivery SET lease_until = $until WHERE delivery_id = $id AND endpoint = $endpoint";

    private const string CompleteSql = """
        UPDATE webhook_delivery
        SET state = $state, attempts = attempts + 1, last_status = $status, last_error = $error, lease_until = NULL,
            next_attempt_at = CASE WHEN $state = 'pending' THEN $next ELSE next_attempt_at END,
            finished_at = CASE WHEN $state = 'pending' THEN NULL ELSE $now END
        WHERE delivery_id = $id AND endpoint = $endpoint AND state = 'pending'
        """;

    /// <summary>Inside a grain commit's transaction.</summary>
    internal static void Insert(SqliteDatabase database, SqliteConnection writer, SqliteTransaction transaction, IReadOnlyList<WebhookOutboxRow> rows, long now)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var insert = database.Statement(writer, transaction, InsertSql,
            "$id", "$endpoint", "$project", "$user", "$session", "$code", "$kind", "$fired", "$payload", "$now");
        foreach (var r in rows)
        {
            SqliteValues.Bind(insert, SqliteValues.Uuid(r.Id), r.Endpoint, r.ProjectId, r.UserId, r.SessionId, r.PatternCode, r.Kind,
                SqliteValues.Time(r.FiredAt), r.Payload, now);
            insert.ExecuteNonQuery();
        }
    }

    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken ct = default) =>
        database.WriteAsync<IReadOnlyList<WebhookDelivery>>(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            var now = database.NowMicroseconds();
            var due = database.Statement(writer, transaction, DueSql, "$now", "$limit");
            SqliteValues.Bind(due, now, Math.Max(limit, 0));
            var rows = ReadAll(due);
            var leaseRow = database.Statement(writer, transaction, LeaseSql, "$until", "$id", "$endpoint");
            foreach (var row in rows)
            {
                SqliteValues.Bind(leaseRow, now + Micros(lease), SqliteValues.Uuid(row.Id), row.Endpoint);
                leaseRow.ExecuteNonQuery();
            }
            transaction.Commit();
            return rows;
        }, ct);

    public Task CompleteAsync(IReadOnlyList<WebhookAttemptResult> results, CancellationToken ct = default) =>
        results.Count == 0 ? Task.CompletedTask : database.WriteAsync(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            var now = database.NowMicroseconds();
            var complete = database.Statement(writer, transaction, CompleteSql, "$state", "$status", "$error", "$next", "$now", "$id", "$endpoint");
            foreach (var r in results)
            {
                SqliteValues.Bind(complete, WebhookStates.Of(r.Outcome), r.Status, r.Error, now + Micros(r.RetryAfter ?? TimeSpan.Zero), now,
                    SqliteValues.Uuid(r.Id), r.Endpoint);
                complete.ExecuteNonQuery();
            }
            transaction.Commit();
            return 0;
        }, ct);

    public Task<IReadOnlyList<WebhookDelivery>> ListRecentAsync(long? projectId, int limit, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ListColumns} FROM webhook_delivery
            WHERE $project IS NULL OR project_id = $project
            ORDER BY fired_at DESC, delivery_id, endpoint
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$project", (object?)projectId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
        return Task.FromResult<IReadOnlyList<WebhookDelivery>>(ReadAll(command));
    }

    public Task<WebhookDeliveryCounts> CountAsync(long? projectId, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'delivered'), count(*) FILTER (WHERE state = 'failed')
            FROM webhook_delivery WHERE $project IS NULL OR project_id = $project
            """;
        command.Parameters.AddWithValue("$project", (object?)projectId ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Task.FromResult(new WebhookDeliveryCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    public Task<long> PruneAsync(DateTimeOffset before, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = "DELETE FROM webhook_delivery WHERE finished_at < $before";
            command.Parameters.AddWithValue("$before", SqliteValues.Time(before));
            return (long)command.ExecuteNonQuery();
        }, ct);

    private static long Micros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    private static List<WebhookDelivery> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<WebhookDelivery>();
        while (reader.Read())
        {
            rows.Add(new WebhookDelivery(
                SqliteValues.ReadUuid(reader, 0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), SqliteValues.ReadTime(reader, 7), reader.GetString(8), reader.GetString(9), reader.GetInt32(10),
                SqliteValues.ReadNullableTime(reader, 11),
                reader.IsDBNull(12) ? null : reader.GetInt32(12),
                SqliteValues.ReadNullableString(reader, 13),
                SqliteValues.ReadNullableTime(reader, 14)));
        }
        return rows;
    }
}
