using System.Buffers;
using System.Text.Json;

namespace SessionInsights.Domain.Events;

/// <summary>
/// What the client said about an event's time (its <c>timestamp</c>, <c>sent_at</c> and <c>offset</c>,
/// as sent), kept beside the corrected time: <c>raw_event.client_time</c> and the enriched event's
/// <c>original_timestamp</c> (docs/ingestion.md, "What is stored").
/// </summary>
public static class ClientTime
{
    // Keeps "+01:00" as sent rather than "\u002B01:00": this JSON is stored and read by people, never put in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A compact JSON object of the present fields, values exactly as sent (a string stays a string, an
    /// invalid one too); null when there is none of them.
    /// </summary>
    public static string? ToJson(JsonElement timestamp, JsonElement sentAt, JsonElement offset)
    {
        if (IsAbsent(timestamp) && IsAbsent(sentAt) && IsAbsent(offset))
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            Write(w, "timestamp", timestamp);
            Write(w, "sent_at", sentAt);
            Write(w, "offset", offset);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The client's own timestamp in <paramref name="clientTimeJson"/>, to the microsecond, when it is a valid time.</summary>
    public static DateTimeOffset? Timestamp(string? clientTimeJson)
    {
        if (clientTimeJson is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(clientTimeJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("timestamp"u8, out var ts)
            || ts.ValueKind != JsonValueKind.String
            || !TimestampParser.TryParse(ts.GetString(), out var at))
        {
            return null;
        }
        return new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
    }

    private static bool IsAbsent(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    private static void Write(Utf8JsonWriter w, string name, JsonElement value)
    {
        if (!IsAbsent(value))
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
    }
}
