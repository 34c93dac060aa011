using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Storage.Postgres;

/// <summary>The webhook outbox on PostgreSQL (0009_webhooks.sql).</summary>
internal sealed class PostgresWebhookOutbox(NpgsqlDataSource dataSource) : IWebhookOutbox
{
    private const string ListColumns = """
        delivery_id, endpoint, project_id, user_id, session_id, pattern_code, kind, fired_at, '' AS payload,
        state, attempts, CASE WHEN state = 'pending' THEN next_attempt_at END, last_status, last_error, finished_at
        """;

    private const string InsertSql = """
        INSERT INTO webhook_delivery (delivery_id, endpoint, project_id, user_id, session_id, pattern_code, kind, fired_at, payload)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
        ON CONFLICT (delivery_id, endpoint) DO NOTHING
        """;

    // SKIP LOCKED: two silos polling at once take different rows instead of waiting for each other; the
    // lease keeps a row from being taken again while its attempt is under way, after this commits.
    private const string ClaimSql = """
        UPDATE webhook_delivery d SET lease_until = now() + $2
        FROM (SELECT delivery_id, endpoint FROM webhook_delivery
              WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
              ORDER BY next_attempt_at
              LIMIT $1
              FOR UPDATE SKIP LOCKED) due
        WHERE d.delivery_id = due.delivery_id AND d.endpoint = due.endpoint
        RETURNING d.delivery_id, d.endpoint, d.project_id, d.user_id, d.session_id, d.pattern_code, d.kind, d.fired_at, d.payload,
                  d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.finished_at
        """;

    private const string CompleteSql = """
        UPDATE webhook_delivery AS d
        SET state = r.state, attempts = d.attempts + 1, last_status = r.status, last_error = r.error, lease_until = NULL,
            next_attempt_at = CASE WHEN r.state = 'pending' THEN now() + r.delay ELSE d.next_attempt_at END,
            finished_at = CASE WHEN r.state = 'pending' THEN NULL ELSE now() END
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::interval[]) AS r(id, endpoint, state, status, error, delay)
        WHERE d.delivery_id = r.id AND d.endpoint = r.endpoint AND d.state = 'pending'
        """;

    internal static NpgsqlBatchCommand Insert(IReadOnlyList<WebhookOutboxRow> rows)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.Id).ToArray(), NpgsqlDbType.Uuid));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.Endpoint).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.ProjectId).ToArray(), NpgsqlDbType.Bigint));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.UserId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.SessionId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.PatternCode).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.Kind).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => StoragePrecision.ToUtcDateTime(r.FiredAt)).ToArray(), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(PgParameter.Array(rows.Select(r => r.Payload).ToArray(), NpgsqlDbType.Text));
        return command;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(PgParameter.Value(Math.Max(limit, 0)));
        command.Parameters.Add(PgParameter.Value(lease, NpgsqlDbType.Interval));
        var rows = await ReadAllAsync(command, ct).ConfigureAwait(false);
        // RETURNING does not keep the subquery's order.
        rows.Sort((a, b) => Nullable.Compare(a.NextAttemptAt, b.NextAttemptAt));
        return rows;
    }

    public async Task CompleteAsync(IReadOnlyList<WebhookAttemptResult> results, CancellationToken ct = default)
    {
        if (results.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(CompleteSql);
        command.Parameters.Add(PgParameter.Array(results.Select(r => r.Id).ToArray(), NpgsqlDbType.Uuid));
        command.Parameters.Add(PgParameter.Array(results.Select(r => r.Endpoint).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(results.Select(r => WebhookStates.Of(r.Outcome)).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(results.Select(r => r.Status).ToArray(), NpgsqlDbType.Integer));
        command.Parameters.Add(PgParameter.Array(results.Select(r => r.Error).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Array(results.Select(r => r.RetryAfter ?? TimeSpan.Zero).ToArray(), NpgsqlDbType.Interval));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListRecentAsync(long? projectId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ListColumns} FROM webhook_delivery
            WHERE $1::bigint IS NULL OR project_id = $1
            ORDER BY fired_at DESC, delivery_id, endpoint
            LIMIT $2
            """);
        command.Parameters.Add(PgParameter.Value(projectId, NpgsqlDbType.Bigint));
        command.Parameters.Add(PgParameter.Value(Math.Max(limit, 0)));
        return await ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<WebhookDeliveryCounts> CountAsync(long? projectId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'delivered'), count(*) FILTER (WHERE state = 'failed')
            FROM webhook_delivery WHERE $1::bigint IS NULL OR project_id = $1
            """);
        command.Parameters.Add(PgParameter.Value(projectId, NpgsqlDbType.Bigint));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new WebhookDeliveryCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<long> PruneAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_delivery WHERE finished_at < $1");
        command.Parameters.Add(PgParameter.Value(StoragePrecision.ToUtcDateTime(before), NpgsqlDbType.TimestampTz));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<List<WebhookDelivery>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<WebhookDelivery>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new WebhookDelivery(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8), reader.GetString(9), reader.GetInt32(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14)));
        }
        return rows;
    }
}
