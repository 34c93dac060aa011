using System.Text.Json;

namespace SessionInsights.Domain.Events;

/// <summary>
/// The ingestion envelopes of SPEC §1: <c>{"event": {...}}</c> from the seeds and
/// <c>{"event": {...}, "person": {...}}</c> from PostHog's HTTP-webhook destination.
/// </summary>
public static class EventEnvelope
{
    /// <summary>
    /// The event inside an envelope, or <paramref name="json"/> itself when it is a bare event.
    /// A bare event's <c>event</c> is its name (a string), an envelope's is an object, so the two
    /// cannot be confused; anything else is returned unchanged for the parser to reject.
    /// </summary>
    public static JsonElement Unwrap(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object
        && json.TryGetProperty("event"u8, out var inner)
        && inner.ValueKind == JsonValueKind.Object
            ? inner
            : json;
}
