using Npgsql;
using NpgsqlTypes;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Postgres;

/// <summary>Projects and keys on PostgreSQL (0006_projects.sql). Rare writes, small reads: plain statements.</summary>
internal sealed class PostgresProjectStore(NpgsqlDataSource dataSource) : IProjectStore
{
    private const string KeyColumns = "key_id, project_id, kind, hint, created_at, revoked_at";

    public async Task<Project> CreateProjectAsync(string name, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO project (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING project_id, created_at");
        command.Parameters.Add(PgParameter.Value(name));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new Project(reader.GetInt64(0), name, reader.GetFieldValue<DateTimeOffset>(1), [])
            : throw new ArgumentException($"a project named '{name}' exists already", nameof(name));
    }

    public async Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken ct = default)
    {
        var keys = new List<ProjectKey>();
        await using (var command = dataSource.CreateCommand($"SELECT {KeyColumns} FROM project_key ORDER BY key_id"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                keys.Add(ReadKey(reader));
            }
        }
        var projects = new List<Project>();
        await using (var command = dataSource.CreateCommand("SELECT project_id, name, created_at FROM project ORDER BY project_id"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                projects.Add(new Project(id, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), [.. keys.Where(k => k.ProjectId == id)]));
            }
        }
        return projects;
    }

    public async Task<ProjectKey?> AddKeyAsync(long projectId, ProjectKeyKind kind, string secret, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO project_key (project_id, kind, token, secret_hash, hint)
            SELECT project_id, $2, $3, $4, $5 FROM project WHERE project_id = $1
            RETURNING {KeyColumns}
            """);
        command.Parameters.Add(PgParameter.Value(projectId));
        command.Parameters.Add(PgParameter.Value(ProjectKeyKinds.ToText(kind)));
        command.Parameters.Add(PgParameter.Value(kind == ProjectKeyKind.Capture ? secret : null, NpgsqlDbType.Text));
        command.Parameters.Add(PgParameter.Value(kind == ProjectKeyKind.Secret ? ProjectKeys.Hash(secret) : null, NpgsqlDbType.Bytea));
        command.Parameters.Add(PgParameter.Value(ProjectKeys.Hint(secret)));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadKey(reader) : null;
    }

    public async Task<bool> RevokeKeyAsync(long keyId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE project_key SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(PgParameter.Value(keyId));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<ActiveKey>> LoadActiveKeysAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT key_id, project_id, kind, token, secret_hash FROM project_key WHERE revoked_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var keys = new List<ActiveKey>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            keys.Add(new ActiveKey(reader.GetInt64(0), reader.GetInt64(1), ProjectKeyKinds.FromText(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4)));
        }
        return keys;
    }

    private static ProjectKey ReadKey(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), ProjectKeyKinds.FromText(reader.GetString(2)), reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}
