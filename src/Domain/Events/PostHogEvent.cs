using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionInsights.Domain.Events;

/// <summary>
/// A validated PostHog event as accepted by the gateway. <see cref="Uuid"/> is the idempotency key:
/// PostHog's own id when the client sent one, otherwise one the service assigned.
/// <see cref="Timestamp"/> is the event time everything uses (corrected, docs/ingestion.md "Event time");
/// <see cref="ClientTime"/> is what the client sent about it (<see cref="Events.ClientTime"/>), null when
/// the time is the client's <c>timestamp</c> unchanged. <see cref="ProjectId"/> is the project whose
/// token or key the event came with.
/// </summary>
public sealed record PostHogEvent(
    Guid Uuid,
    string Event,
    string DistinctId,
    DateTimeOffset Timestamp,
    JsonElement Properties,
    string? ElementsChain,
    string? ClientTime = null)
{
    /// <summary>
    /// PostHog's <c>$session_id</c> property, when it is a non-empty string. Read once: looking it up
    /// scans the properties, and the hot path asks for it more than once per event.
    /// </summary>
    [JsonIgnore]
    public string? SessionId { get; } = ReadSessionId(Properties);

    /// <summary>The project the event belongs to; the gateway sets it from the credential it came with.</summary>
    [JsonIgnore]
    public long ProjectId { get; init; } = Projects.ProjectIds.Default;

    private static string? ReadSessionId(JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty("$session_id"u8, out var s)
        && s.ValueKind == JsonValueKind.String
        && s.GetString() is { Length: > 0 } id
            ? id
            : null;
}
