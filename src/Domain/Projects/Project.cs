namespace SessionInsights.Domain.Projects;

public enum ProjectKeyKind
{
    /// <summary>Public: sent by SDKs with every event; only lets its holder add events to the project.</summary>
    Capture,

    /// <summary>Secret: reads the project's event data (contexts, sessions, failures) and posts to the webhook.</summary>
    Secret,
}

public sealed record Project(long ProjectId, string Name, DateTimeOffset CreatedAt, IReadOnlyList<ProjectKey> Keys);

/// <summary>A key as lists show it: its <see cref="Hint"/>, never the secret itself.</summary>
public sealed record ProjectKey(long KeyId, long ProjectId, ProjectKeyKind Kind, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// A key that is in force, as the gateway matches it: a capture token as is, a secret key by its hash.
/// </summary>
public sealed record ActiveKey(long KeyId, long ProjectId, ProjectKeyKind Kind, string? Token, byte[]? SecretHash);
