using System.Text.Json;

namespace SessionInsights.Grains.Abstractions.Events;

/// <summary>
/// A validated PostHog event as accepted by the gateway. <see cref="Uuid"/> is the idempotency key:
/// PostHog's own id when the client sent one, otherwise one the service assigned.
/// </summary>
public sealed record PostHogEvent(
    Guid Uuid,
    string Event,
    string DistinctId,
    DateTimeOffset Timestamp,
    JsonElement Properties,
    string? ElementsChain)
{
    /// <summary>PostHog's <c>$session_id</c> property, when it is a non-empty string.</summary>
    public string? SessionId =>
        Properties.ValueKind == JsonValueKind.Object
        && Properties.TryGetProperty("$session_id", out var s)
        && s.ValueKind == JsonValueKind.String
        && s.GetString() is { Length: > 0 } id
            ? id
            : null;
}
