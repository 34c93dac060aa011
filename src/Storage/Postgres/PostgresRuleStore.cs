using Npgsql;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>Versioned pattern rules on PostgreSQL (0007_rules.sql). Rare writes, small reads: plain statements.</summary>
internal sealed class PostgresRuleStore(NpgsqlDataSource dataSource) : IRuleStore
{
    private const string RuleColumns = "code, definition, enabled, version, position, changed_by, changed_at";

    public async Task<RuleSetState> LoadAsync(long projectId, PatternRuleSet seed, CancellationToken ct = default)
    {
        if (await ReadAsync(projectId, ct).ConfigureAwait(false) is { } state)
        {
            return state;
        }
        await using (var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false))
        await using (var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false))
        {
            await SeedIfEmptyAsync(connection, projectId, seed, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        return await ReadAsync(projectId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the rules of project {projectId} were seeded and are not there");
    }

    public async Task<IReadOnlyDictionary<long, long>> LoadVersionsAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT project_id, version FROM rule_set");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var versions = new Dictionary<long, long>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            versions[reader.GetInt64(0)] = reader.GetInt64(1);
        }
        return versions;
    }

    public async Task<IReadOnlyList<RuleVersion>> LoadHistoryAsync(long projectId, string code, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT version, code, change, definition, enabled, changed_by, changed_at FROM pattern_rule_version
            WHERE project_id = $1 AND code = $2 ORDER BY version
            """);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(code));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var history = new List<RuleVersion>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            history.Add(new RuleVersion(reader.GetInt64(0), reader.GetString(1), RulePlan.FromText(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return history;
    }

    public async Task<RuleWriteResult> WriteAsync(long projectId, RuleChange change, PatternRuleSet seed, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await SeedIfEmptyAsync(connection, projectId, seed, ct).ConfigureAwait(false);

        // The set's row is the lock: writers of one project go one at a time, and versions stay gap-free.
        long version;
        await using (var command = new NpgsqlCommand("SELECT version FROM rule_set WHERE project_id = $1 FOR UPDATE", connection))
        {
            command.Parameters.Add(PgParameter.Value(projectId));
            version = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        var rules = new List<StoredRule>();
        await using (var command = new NpgsqlCommand($"SELECT {RuleColumns} FROM pattern_rule WHERE project_id = $1", connection))
        {
            command.Parameters.Add(PgParameter.Value(projectId));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rules.Add(ReadRule(reader));
            }
        }
        var (current, nextPosition) = RulePlan.Find(rules, change.Code);
        var (status, definition, enabled) = RulePlan.Decide(current, change);
        if (status != RuleWriteStatus.Written)
        {
            return new RuleWriteResult(status, version);
        }
        version++;
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(change.Kind == RuleChangeKind.Delete
                ? Command("DELETE FROM pattern_rule WHERE project_id = $1 AND code = $2", projectId, change.Code)
                : Command("""
                    INSERT INTO pattern_rule (project_id, code, definition, enabled, position, version, changed_by, changed_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, now())
                    ON CONFLICT (project_id, code) DO UPDATE SET definition = $3, enabled = $4, version = $6, changed_by = $7, changed_at = now()
                    """, projectId, change.Code, definition, enabled, current?.Position ?? nextPosition, version, change.ChangedBy));
            batch.BatchCommands.Add(Command("""
                INSERT INTO pattern_rule_version (project_id, code, definition, enabled, change, version, changed_by, changed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, now())
                """, projectId, change.Code, definition, enabled, RulePlan.ToText(change.Kind), version, change.ChangedBy));
            batch.BatchCommands.Add(Command("UPDATE rule_set SET version = $2 WHERE project_id = $1", projectId, version));
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new RuleWriteResult(RuleWriteStatus.Written, version);
    }

    /// <summary>One statement, so the version and the rules come from one snapshot.</summary>
    private async Task<RuleSetState?> ReadAsync(long projectId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT s.version, {string.Join(", ", RuleColumns.Split(", ").Select(c => "r." + c))}
            FROM rule_set s LEFT JOIN pattern_rule r ON r.project_id = s.project_id
            WHERE s.project_id = $1 ORDER BY r.position
            """);
        command.Parameters.Add(PgParameter.Value(projectId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        long? version = null;
        var rules = new List<StoredRule>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            version = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                rules.Add(ReadRule(reader, offset: 1));
            }
        }
        return version is { } v ? new RuleSetState(projectId, v, rules) : null;
    }

    /// <summary>
    /// Copies the seed in as version 1 unless the project has rules. Concurrent seeders block on the
    /// rule_set row's insert; all but the first find it there and write nothing.
    /// </summary>
    private static async Task SeedIfEmptyAsync(NpgsqlConnection connection, long projectId, PatternRuleSet seed, CancellationToken ct)
    {
        await using (var command = new NpgsqlCommand("INSERT INTO rule_set (project_id, version) VALUES ($1, 1) ON CONFLICT DO NOTHING", connection))
        {
            command.Parameters.Add(PgParameter.Value(projectId));
            if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                return;
            }
        }
        await using var batch = new NpgsqlBatch(connection);
        for (var i = 0; i < seed.Count; i++)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO pattern_rule (project_id, code, definition, enabled, position, version, changed_by, changed_at)
                VALUES ($1, $2, $3, true, $4, 1, 'seed', now())
                """, projectId, seed.Rules[i].Code, seed.Definitions[i], i));
            batch.BatchCommands.Add(Command("""
                INSERT INTO pattern_rule_version (project_id, code, definition, enabled, change, version, changed_by, changed_at)
                VALUES ($1, $2, $3, true, 'seed', 1, 'seed', now())
                """, projectId, seed.Rules[i].Code, seed.Definitions[i]));
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = value });
        }
        return command;
    }

    private static StoredRule ReadRule(NpgsqlDataReader reader, int offset = 0) => new(
        reader.GetString(offset), reader.GetString(offset + 1), reader.GetBoolean(offset + 2), reader.GetInt64(offset + 3),
        reader.GetInt32(offset + 4), reader.GetString(offset + 5), reader.GetFieldValue<DateTimeOffset>(offset + 6));
}
