using System.Text.Json;

namespace SessionInsights.Gateway.Capture;

/// <summary>
/// The shapes a capture body takes: one event, an array of events, or
/// <c>{"api_key"|"token": …, "batch": [...], "sent_at": …}</c>.
/// </summary>
public sealed record CapturePayload(IReadOnlyList<JsonElement> Events, bool IsBatch, string? Token, string? SentAt)
{
    public static (CapturePayload? Payload, CaptureError? Error) Read(JsonElement root)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                return NonEmpty([.. root.EnumerateArray()], "body", null, null);
            case JsonValueKind.Object when root.TryGetProperty("batch"u8, out var batch):
                if (batch.ValueKind != JsonValueKind.Array)
                {
                    return (null, CaptureError.Invalid("batch", "must be an array of events"));
                }
                return NonEmpty([.. batch.EnumerateArray()], "batch", String(root, "api_key") ?? String(root, "token"), String(root, "sent_at"));
            case JsonValueKind.Object:
                return (new CapturePayload([root], false, null, null), null);
            default:
                return (null, CaptureError.Invalid("body", "must be an event object, an array of events or a batch object"));
        }
    }

    private static (CapturePayload?, CaptureError?) NonEmpty(List<JsonElement> events, string field, string? token, string? sentAt) =>
        events.Count == 0
            ? (null, CaptureError.Invalid(field, "holds no events"))
            : (new CapturePayload(events, true, token, sentAt), null);

    internal static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}
