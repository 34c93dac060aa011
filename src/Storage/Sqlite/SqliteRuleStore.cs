using Microsoft.Data.Sqlite;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Sqlite;

/// <summary>Versioned pattern rules on SQLite (0004_rules.sql); every write is one IMMEDIATE transaction on the writer.</summary>
internal sealed class SqliteRuleStore(SqliteDatabase database) : IRuleStore
{
    private const string RuleColumns = "code, definition, enabled, version, position, changed_by, changed_at";

    public async Task<RuleSetState> LoadAsync(long projectId, PatternRuleSet seed, CancellationToken ct = default)
    {
        if (Read(projectId) is { } state)
        {
            return state;
        }
        return await database.WriteAsync(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            SeedIfEmpty(writer, transaction, projectId, seed);
            transaction.Commit();
            return Read(projectId) ?? throw new InvalidOperationException($"the rules of project {projectId} were seeded and are not there");
        }, ct).ConfigureAwait(false);
    }

    public Task<IReadOnlyDictionary<long, long>> LoadVersionsAsync(CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT project_id, version FROM rule_set";
        using var reader = command.ExecuteReader();
        var versions = new Dictionary<long, long>();
        while (reader.Read())
        {
            versions[reader.GetInt64(0)] = reader.GetInt64(1);
        }
        return Task.FromResult<IReadOnlyDictionary<long, long>>(versions);
    }

    public Task<IReadOnlyList<RuleVersion>> LoadHistoryAsync(long projectId, string code, CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT version, code, change, definition, enabled, changed_by, changed_at FROM pattern_rule_version
            WHERE project_id = $project AND code = $code ORDER BY version
            """;
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$code", code);
        using var reader = command.ExecuteReader();
        var history = new List<RuleVersion>();
        while (reader.Read())
        {
            history.Add(new RuleVersion(reader.GetInt64(0), reader.GetString(1), RulePlan.FromText(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4), reader.GetString(5), SqliteValues.ReadTime(reader, 6)));
        }
        return Task.FromResult<IReadOnlyList<RuleVersion>>(history);
    }

    public Task<RuleWriteResult> WriteAsync(long projectId, RuleChange change, PatternRuleSet seed, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            SeedIfEmpty(writer, transaction, projectId, seed);
            long version;
            using (var command = Command(writer, transaction, "SELECT version FROM rule_set WHERE project_id = $1", projectId))
            {
                version = (long)command.ExecuteScalar()!;
            }
            var rules = new List<StoredRule>();
            using (var command = Command(writer, transaction, $"SELECT {RuleColumns} FROM pattern_rule WHERE project_id = $1", projectId))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
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
            var now = database.NowMicroseconds();
            using (var command = change.Kind == RuleChangeKind.Delete
                ? Command(writer, transaction, "DELETE FROM pattern_rule WHERE project_id = $1 AND code = $2", projectId, change.Code)
                : Command(writer, transaction, """
                    INSERT INTO pattern_rule (project_id, code, definition, enabled, position, version, changed_by, changed_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (project_id, code) DO UPDATE SET definition = $3, enabled = $4, version = $6, changed_by = $7, changed_at = $8
                    """, projectId, change.Code, definition, enabled, current?.Position ?? nextPosition, version, change.ChangedBy, now))
            {
                command.ExecuteNonQuery();
            }
            using (var command = Command(writer, transaction, """
                INSERT INTO pattern_rule_version (project_id, code, definition, enabled, change, version, changed_by, changed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, projectId, change.Code, definition, enabled, RulePlan.ToText(change.Kind), version, change.ChangedBy, now))
            {
                command.ExecuteNonQuery();
            }
            using (var command = Command(writer, transaction, "UPDATE rule_set SET version = $2 WHERE project_id = $1", projectId, version))
            {
                command.ExecuteNonQuery();
            }
            transaction.Commit();
            return new RuleWriteResult(RuleWriteStatus.Written, version);
        }, ct);

    /// <summary>One read transaction, so the version and the rules are one snapshot.</summary>
    private RuleSetState? Read(long projectId)
    {
        using var connection = database.OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        long version;
        using (var command = Command(connection, transaction, "SELECT version FROM rule_set WHERE project_id = $1", projectId))
        {
            if (command.ExecuteScalar() is not long v)
            {
                return null;
            }
            version = v;
        }
        var rules = new List<StoredRule>();
        using (var command = Command(connection, transaction, $"SELECT {RuleColumns} FROM pattern_rule WHERE project_id = $1 ORDER BY position", projectId))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rules.Add(ReadRule(reader));
            }
        }
        return new RuleSetState(projectId, version, rules);
    }

    private void SeedIfEmpty(SqliteConnection writer, SqliteTransaction transaction, long projectId, PatternRuleSet seed)
    {
        using (var command = Command(writer, transaction, "INSERT INTO rule_set (project_id, version) VALUES ($1, 1) ON CONFLICT DO NOTHING", projectId))
        {
            if (command.ExecuteNonQuery() == 0)
            {
                return;
            }
        }
        var now = database.NowMicroseconds();
        for (var i = 0; i < seed.Count; i++)
        {
            using (var command = Command(writer, transaction, """
                INSERT INTO pattern_rule (project_id, code, definition, enabled, position, version, changed_by, changed_at)
                VALUES ($1, $2, $3, 1, $4, 1, 'seed', $5)
                """, projectId, seed.Rules[i].Code, seed.Definitions[i], i, now))
            {
                command.ExecuteNonQuery();
            }
            using (var command = Command(writer, transaction, """
                INSERT INTO pattern_rule_version (project_id, code, definition, enabled, change, version, changed_by, changed_at)
                VALUES ($1, $2, $3, 1, 'seed', 1, 'seed', $4)
                """, projectId, seed.Rules[i].Code, seed.Definitions[i], now))
            {
                command.ExecuteNonQuery();
            }
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params object?[] values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        }
        return command;
    }

    private static StoredRule ReadRule(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3),
        reader.GetInt32(4), reader.GetString(5), SqliteValues.ReadTime(reader, 6));
}
