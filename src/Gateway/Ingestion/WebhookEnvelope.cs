using System.Text.Json;

namespace SessionInsights.Gateway.Ingestion;

/// <summary>
/// The <c>/ingest</c> body: <c>{"event": {...}}</c> (the seeds' format and PostHog's webhook
/// destination, which adds <c>"person"</c>), or a bare PostHog event whose <c>event</c> is its name.
/// </summary>
public static class WebhookEnvelope
{
    public static bool TryUnwrap(JsonElement root, out JsonElement evt, out string field)
    {
        evt = default;
        field = "body";
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (!root.TryGetProperty("event", out var inner))
        {
            field = "event";
            return false;
        }
        if (inner.ValueKind == JsonValueKind.Object)
        {
            evt = inner;
            return true;
        }
        // A bare event: "event" holds the name and the root is the event itself.
        evt = root;
        return true;
    }
}
