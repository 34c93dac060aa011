using SessionInsights.Domain.Projects;

namespace SessionInsights.Domain.Storage;

/// <summary>Projects and their keys (the <c>project</c> and <c>project_key</c> tables).</summary>
public interface IProjectStore
{
    /// <summary>A new project with no keys; a name already taken throws <see cref="ArgumentException"/>.</summary>
    Task<Project> CreateProjectAsync(string name, CancellationToken ct = default);

    /// <summary>Every project with its keys, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken ct = default);

    /// <summary>
    /// Adds a capture token (<paramref name="secret"/> is the token, stored as is) or a secret key
    /// (stored as <see cref="ProjectKeys.Hash"/> only). Null when the project does not exist.
    /// </summary>
    Task<ProjectKey?> AddKeyAsync(long projectId, ProjectKeyKind kind, string secret, CancellationToken ct = default);

    /// <summary>Revokes a key; false when no key in force has that id.</summary>
    Task<bool> RevokeKeyAsync(long keyId, CancellationToken ct = default);

    /// <summary>Every key not revoked: what the gateway accepts.</summary>
    Task<IReadOnlyList<ActiveKey>> LoadActiveKeysAsync(CancellationToken ct = default);
}
