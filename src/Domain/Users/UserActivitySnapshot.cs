using System.Text.Json.Serialization;
using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Users;

/// <summary>
/// The persisted form of <see cref="UserActivity"/>, without the recent events (storage has them).
/// Short property names and omitted defaults (null, 0, false) keep it small; pattern evidence dominates
/// its size. <see cref="Version"/> guards future format changes.
/// </summary>
internal sealed record UserActivitySnapshot
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("sessions")] public List<SessionSnapshot>? Sessions { get; init; }
    [JsonPropertyName("latest")] public string? LatestSessionId { get; init; }
    [JsonPropertyName("forgotten")] public List<string>? ForgottenSessionIds { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(UserActivitySnapshot))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
