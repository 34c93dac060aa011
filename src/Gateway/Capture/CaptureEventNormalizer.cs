using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Gateway.Ingestion;

namespace SessionInsights.Gateway.Capture;

/// <summary>
/// Rewrites one event as SDKs send it into the webhook shape <see cref="PostHogEventParser"/> checks:
/// distinct_id from its aliases (numbers as strings, cut to 200 characters), a timestamp when the SDK
/// left it out, empty properties when absent, and an elements chain from <c>$elements</c>.
/// </summary>
public static class CaptureEventNormalizer
{
    public static string? Token(JsonElement evt) =>
        CapturePayload.String(evt, "api_key") ?? CapturePayload.String(evt, "token") ?? CapturePayload.String(evt, "$token")
        ?? (evt.TryGetProperty("properties"u8, out var p) ? CapturePayload.String(p, "token") : null);

    /// <summary>
    /// Normalizes and parses one event; its time is corrected by PostHog's rules (<see cref="EventTime"/>)
    /// with <paramref name="now"/> as the receive time and <paramref name="batchSentAt"/> as the request's
    /// <c>sent_at</c> when the event carries none of its own.
    /// </summary>
    /// <param name="anomalies">When given, receives the event's ingestion warnings (corrections and anomalies,
    /// docs/ingestion.md "Ingestion warnings"); the caller records them once the event is accepted.</param>
    public static (PostHogEvent? Event, CaptureError? Error) Normalize(
        JsonElement evt, string field, DateTimeOffset now, string? batchSentAt = null, ICollection<IngestionAnomaly>? anomalies = null)
    {
        try
        {
            var (parsed, error) = Parse(evt, field, now, anomalies);
            return parsed is null ? (null, error) : (WithEventTime(parsed, evt, batchSentAt, now, anomalies), null);
        }
        catch (InvalidOperationException) when (BrokenText.Find(evt) is { } path)
        {
            return (null, CaptureError.Invalid(field.Length == 0 ? path : $"{field}.{path}", BrokenText.Problem));
        }
    }

    private static (PostHogEvent? Event, CaptureError? Error) Parse(JsonElement evt, string field, DateTimeOffset now, ICollection<IngestionAnomaly>? anomalies)
    {
        if (evt.ValueKind != JsonValueKind.Object)
        {
            return (null, CaptureError.Invalid(field.Length == 0 ? "body" : field, "must be a JSON object"));
        }
        if (IsWebhookShaped(evt) && PostHogEventParser.TryParse(evt, out var direct, out _))
        {
            return (direct, null);
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            CopyIfPresent(w, evt, "event");
            CopyIfPresent(w, evt, "uuid");
            WriteDistinctId(w, evt, anomalies);
            WriteTimestamp(w, evt, now);
            var hasProperties = evt.TryGetProperty("properties"u8, out var properties) && properties.ValueKind != JsonValueKind.Null;
            if (hasProperties)
            {
                w.WritePropertyName("properties");
                properties.WriteTo(w);
            }
            else
            {
                w.WriteStartObject("properties");
                w.WriteEndObject();
            }
            WriteElementsChain(w, evt, hasProperties ? properties : default);
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        if (!PostHogEventParser.TryParse(doc.RootElement, out var parsed, out var error))
        {
            var at = field.Length == 0 ? error!.Field : $"{field}.{error!.Field}";
            return (null, CaptureError.Invalid(at, error.Problem));
        }
        return (parsed, null);
    }

    /// <summary>
    /// The event with its time per PostHog's rules: a client timestamp has the client's clock skew removed
    /// when a valid sent_at comes with it (unless <c>$ignore_sent_at</c> is true); a time the server chose
    /// (receive time, or receive time − offset) is kept; either gets the sanity bounds. Unless the time is
    /// the client's timestamp unchanged, the event keeps what the client sent in <see cref="PostHogEvent.ClientTime"/>.
    /// </summary>
    private static PostHogEvent WithEventTime(
        PostHogEvent parsed, JsonElement evt, string? batchSentAt, DateTimeOffset now, ICollection<IngestionAnomaly>? anomalies)
    {
        var fromClient = evt.TryGetProperty("timestamp"u8, out var ts) && ts.ValueKind != JsonValueKind.Null;
        DateTimeOffset at;
        if (fromClient)
        {
            var sentAt = IgnoresSentAt(parsed.Properties) ? null : SentAt(evt, batchSentAt, anomalies);
            at = EventTime.FromClient(parsed.Timestamp, sentAt, now);
            if (anomalies is not null)
            {
                DetectTimeAnomalies(parsed.Timestamp, sentAt, now, at, Text(ts), anomalies);
            }
        }
        else
        {
            // The server chose this time (receive time, or receive time − offset of at most a year): in bounds.
            at = EventTime.Bound(parsed.Timestamp, now);
            if (anomalies is not null && evt.TryGetProperty("offset"u8, out var offset) && offset.ValueKind != JsonValueKind.Null && OffsetMs(offset) is null)
            {
                anomalies.Add(new IngestionAnomaly(IngestionWarnings.InvalidOffset, $"offset {Text(offset)}", "ignored: the receive time"));
            }
        }
        if (fromClient && at == parsed.Timestamp)
        {
            return parsed;
        }
        evt.TryGetProperty("offset"u8, out var sentOffset);
        // The sent_at the client sent for this event, as sent: its own, else the request's.
        evt.TryGetProperty("sent_at"u8, out var ownSentAt);
        var clientTime = ClientTime.ToJson(fromClient ? ts : default, ownSentAt, sentOffset, batchSentAt);
        return parsed with { Timestamp = at, ClientTime = clientTime };
    }

    /// <summary>
    /// The warnings of a client's timestamp: out of bounds after the sent_at correction (replaced by the
    /// receive time), or else a correction larger than <see cref="IngestionWarnings.SkewThreshold"/>.
    /// </summary>
    private static void DetectTimeAnomalies(
        DateTimeOffset timestamp, DateTimeOffset? sentAt, DateTimeOffset now, DateTimeOffset used, string sentText, ICollection<IngestionAnomaly> anomalies)
    {
        // Ticks are below 3.2e18 each, so this long arithmetic cannot overflow.
        var candidate = sentAt is { } s ? now.UtcTicks + (timestamp.UtcTicks - s.UtcTicks) : timestamp.UtcTicks;
        var sent = sentAt is { } sa ? $"timestamp {sentText}, sent_at {SessionInsights.Domain.Context.UtcTimeJsonConverter.Text(sa)}" : $"timestamp {sentText}";
        var usedText = SessionInsights.Domain.Context.UtcTimeJsonConverter.Text(used);
        if (candidate > now.UtcTicks + EventTime.MaxFuture.Ticks)
        {
            anomalies.Add(new IngestionAnomaly(IngestionWarnings.TimestampInFuture, sent, usedText));
        }
        else if (candidate < EventTime.Earliest.UtcTicks)
        {
            anomalies.Add(new IngestionAnomaly(IngestionWarnings.TimestampTooOld, sent, usedText));
        }
        else if (sentAt is { } skewed && (now - skewed).Duration() > IngestionWarnings.SkewThreshold)
        {
            anomalies.Add(new IngestionAnomaly(IngestionWarnings.ClockSkewCorrected, sent, usedText));
        }
    }

    /// <summary>
    /// The event's own sent_at if valid, else the request's; an invalid one is ignored, as PostHog does
    /// (and reported in <paramref name="anomalies"/>).
    /// </summary>
    private static DateTimeOffset? SentAt(JsonElement evt, string? batchSentAt, ICollection<IngestionAnomaly>? anomalies)
    {
        if (evt.TryGetProperty("sent_at"u8, out var own) && own.ValueKind != JsonValueKind.Null)
        {
            if (own.ValueKind == JsonValueKind.String && TimestampParser.TryParse(own.GetString(), out var sent))
            {
                return sent;
            }
            anomalies?.Add(new IngestionAnomaly(IngestionWarnings.InvalidSentAt, $"sent_at {Text(own)}", "ignored"));
        }
        if (batchSentAt is null)
        {
            return null;
        }
        if (TimestampParser.TryParse(batchSentAt, out var batchSent))
        {
            return batchSent;
        }
        anomalies?.Add(new IngestionAnomaly(IngestionWarnings.InvalidSentAt, $"request sent_at {batchSentAt}", "ignored"));
        return null;
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static bool IgnoresSentAt(JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty("$ignore_sent_at"u8, out var ignore)
        && ignore.ValueKind == JsonValueKind.True;

    /// <summary>
    /// Whether the event already has the shape the rewrite would produce (a string distinct_id within
    /// the length limit, a timestamp, a properties object, and its elements chain at the top or none
    /// to build), so that it can be parsed as it is: server SDKs and the load generator send this
    /// shape, and the rewrite (serialize, parse again) was the costliest part of a /batch request
    /// in a profile. Anything else, including every invalid event, takes the rewrite, which also
    /// produces the error messages.
    /// </summary>
    private static bool IsWebhookShaped(JsonElement evt)
    {
        if (!evt.TryGetProperty("distinct_id"u8, out var id) || id.ValueKind != JsonValueKind.String
            || id.GetString()!.Length > CaptureLimits.MaxDistinctIdLength
            || !evt.TryGetProperty("timestamp"u8, out var ts) || ts.ValueKind == JsonValueKind.Null
            || !evt.TryGetProperty("properties"u8, out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (evt.TryGetProperty("elements_chain"u8, out var chain) && chain.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        // No chain at the top: the rewrite would take one from $elements_chain or build one from $elements.
        return !properties.TryGetProperty("$elements_chain"u8, out _)
            && !properties.TryGetProperty("$elements"u8, out _)
            && !evt.TryGetProperty("$elements"u8, out _);
    }

    private static void CopyIfPresent(Utf8JsonWriter w, JsonElement evt, string name)
    {
        if (evt.TryGetProperty(name, out var value))
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
    }

    private static void WriteDistinctId(Utf8JsonWriter w, JsonElement evt, ICollection<IngestionAnomaly>? anomalies)
    {
        JsonElement id = default;
        var found = (evt.TryGetProperty("distinct_id"u8, out id) && id.ValueKind != JsonValueKind.Null)
            || (evt.TryGetProperty("$distinct_id"u8, out id) && id.ValueKind != JsonValueKind.Null)
            || (evt.TryGetProperty("properties"u8, out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("distinct_id"u8, out id) && id.ValueKind != JsonValueKind.Null);
        if (!found)
        {
            return;
        }
        switch (id.ValueKind)
        {
            case JsonValueKind.String:
                w.WriteString("distinct_id", CutDistinctId(id.GetString()!, anomalies));
                break;
            case JsonValueKind.Number:
                w.WriteString("distinct_id", CutDistinctId(id.GetRawText(), anomalies));
                break;
            default:
                w.WritePropertyName("distinct_id");
                id.WriteTo(w);
                break;
        }
    }

    /// <summary>A distinct_id cut to <see cref="CaptureLimits.MaxDistinctIdLength"/> characters (PostHog's limit), with its warning.</summary>
    internal static string CutDistinctId(string id, ICollection<IngestionAnomaly>? anomalies)
    {
        if (id.Length <= CaptureLimits.MaxDistinctIdLength)
        {
            return id;
        }
        var cut = id[..CaptureLimits.MaxDistinctIdLength];
        // Never leave half a surrogate pair: it would not be valid UTF-8 in storage.
        cut = char.IsHighSurrogate(cut[^1]) ? cut[..^1] : cut;
        anomalies?.Add(new IngestionAnomaly(
            IngestionWarnings.DistinctIdTruncated, $"{id.Length} characters", $"the first {cut.Length} characters"));
        return cut;
    }

    private static void WriteTimestamp(Utf8JsonWriter w, JsonElement evt, DateTimeOffset now)
    {
        if (evt.TryGetProperty("timestamp"u8, out var ts) && ts.ValueKind != JsonValueKind.Null)
        {
            w.WritePropertyName("timestamp");
            ts.WriteTo(w);
            return;
        }
        // Clients without a timestamp may send "offset": how many milliseconds ago the event happened.
        var at = evt.TryGetProperty("offset"u8, out var offset) && OffsetMs(offset) is { } ms ? now.AddMilliseconds(-ms) : now;
        w.WriteString("timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>A usable <c>offset</c>: whole milliseconds from 0 to one year; anything else is ignored.</summary>
    private static long? OffsetMs(JsonElement offset) =>
        offset.ValueKind == JsonValueKind.Number && offset.TryGetInt64(out var ms) && ms is >= 0 and < 31_536_000_000 ? ms : null;

    private static void WriteElementsChain(Utf8JsonWriter w, JsonElement evt, JsonElement properties)
    {
        if (evt.TryGetProperty("elements_chain"u8, out var chain) && chain.ValueKind != JsonValueKind.Null)
        {
            w.WritePropertyName("elements_chain");
            chain.WriteTo(w);
            return;
        }
        var fromProperties = properties.ValueKind == JsonValueKind.Object;
        if (fromProperties && properties.TryGetProperty("$elements_chain"u8, out chain) && chain.ValueKind == JsonValueKind.String)
        {
            w.WriteString("elements_chain", chain.GetString());
            return;
        }
        if ((evt.TryGetProperty("$elements"u8, out var elements) || (fromProperties && properties.TryGetProperty("$elements"u8, out elements)))
            && elements.ValueKind == JsonValueKind.Array
            && ElementsChainBuilder.Build(elements) is { } built)
        {
            w.WriteString("elements_chain", built);
        }
    }
}
