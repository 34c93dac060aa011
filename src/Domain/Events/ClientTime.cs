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
    /// <param name="requestSentAt">The request's <c>sent_at</c> (a batch's, or posthog-js's <c>_</c>), used when <paramref name="sentAt"/> is absent.</param>
    public static string? ToJson(JsonElement timestamp, JsonElement sentAt, JsonElement offset, string? requestSentAt = null)
    {
        if (IsAbsent(timestamp) && IsAbsent(sentAt) && IsAbsent(offset) && requestSentAt is null)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            Write(w, "timestamp", timestamp);
            Write(w, "sent_at", sentAt);
            if (IsAbsent(sentAt) && requestSentAt is not null)
            {
                w.WriteString("sent_at", requestSentAt);
            }
            Write(w, "offset", offset);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The client's own timestamp in <paramref name="clientTimeJson"/>, to the microsecond, when it is a valid time.</summary>
    /// <remarks>Runs for every enriched event that has a client time: a reader over the bytes, no document.</remarks>
    public static DateTimeOffset? Timestamp(string? clientTimeJson)
    {
        if (clientTimeJson is null)
        {
            return null;
        }
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(clientTimeJson));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTimestamp = reader.ValueTextEquals("timestamp"u8);
            reader.Read();
            if (!isTimestamp)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String || !TimestampParser.TryParse(reader.GetString(), out var at))
            {
                return null;
            }
            return new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
        }
        return null;
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
