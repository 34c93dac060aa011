using Microsoft.Data.Sqlite;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Sqlite;

/// <summary>Projects and keys on SQLite (0003_projects.sql).</summary>
internal sealed class SqliteProjectStore(SqliteDatabase database) : IProjectStore
{
    private const string KeyColumns = "key_id, project_id, kind, hint, created_at, revoked_at";

    public Task<Project> CreateProjectAsync(string name, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = "INSERT INTO project (name, created_at) VALUES ($name, $now) ON CONFLICT (name) DO NOTHING RETURNING project_id, created_at";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$now", database.NowMicroseconds());
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new Project(reader.GetInt64(0), name, SqliteValues.ReadTime(reader, 1), [])
                : throw new ArgumentException($"a project named '{name}' exists already", nameof(name));
        }, ct);

    public Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        var keys = new List<ProjectKey>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {KeyColumns} FROM project_key ORDER BY key_id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                keys.Add(ReadKey(reader));
            }
        }
        var projects = new List<Project>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project_id, name, created_at FROM project ORDER BY project_id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                projects.Add(new Project(id, reader.GetString(1), SqliteValues.ReadTime(reader, 2), [.. keys.Where(k => k.ProjectId == id)]));
            }
        }
        return Task.FromResult<IReadOnlyList<Project>>(projects);
    }

    public Task<ProjectKey?> AddKeyAsync(long projectId, ProjectKeyKind kind, string secret, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = $"""
                INSERT INTO project_key (project_id, kind, token, secret_hash, hint, created_at)
                SELECT project_id, $kind, $token, $hash, $hint, $now FROM project WHERE project_id = $project
                RETURNING {KeyColumns}
                """;
            command.Parameters.AddWithValue("$project", projectId);
            command.Parameters.AddWithValue("$kind", ProjectKeyKinds.ToText(kind));
            command.Parameters.AddWithValue("$token", kind == ProjectKeyKind.Capture ? secret : DBNull.Value);
            command.Parameters.AddWithValue("$hash", kind == ProjectKeyKind.Secret ? ProjectKeys.Hash(secret) : DBNull.Value);
            command.Parameters.AddWithValue("$hint", ProjectKeys.Hint(secret));
            command.Parameters.AddWithValue("$now", database.NowMicroseconds());
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadKey(reader) : null;
        }, ct);

    public Task<bool> RevokeKeyAsync(long keyId, CancellationToken ct = default) =>
        database.WriteAsync(writer =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = "UPDATE project_key SET revoked_at = $now WHERE key_id = $id AND revoked_at IS NULL";
            command.Parameters.AddWithValue("$id", keyId);
            command.Parameters.AddWithValue("$now", database.NowMicroseconds());
            return command.ExecuteNonQuery() == 1;
        }, ct);

    public Task<IReadOnlyList<ActiveKey>> LoadActiveKeysAsync(CancellationToken ct = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_id, project_id, kind, token, secret_hash FROM project_key WHERE revoked_at IS NULL";
        using var reader = command.ExecuteReader();
        var keys = new List<ActiveKey>();
        while (reader.Read())
        {
            keys.Add(new ActiveKey(reader.GetInt64(0), reader.GetInt64(1), ProjectKeyKinds.FromText(reader.GetString(2)),
                SqliteValues.ReadNullableString(reader, 3),
                reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4)));
        }
        return Task.FromResult<IReadOnlyList<ActiveKey>>(keys);
    }

    private static ProjectKey ReadKey(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), ProjectKeyKinds.FromText(reader.GetString(2)), reader.GetString(3),
        SqliteValues.ReadTime(reader, 4), SqliteValues.ReadNullableTime(reader, 5));
}
