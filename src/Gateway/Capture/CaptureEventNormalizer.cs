using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SessionInsights.Domain.Events;

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
    public static (PostHogEvent? Event, CaptureError? Error) Normalize(JsonElement evt, string field, DateTimeOffset now, string? batchSentAt = null)
    {
        var (parsed, error) = Parse(evt, field, now);
        return parsed is null ? (null, error) : (WithEventTime(parsed, evt, batchSentAt, now), null);
    }

    private static (PostHogEvent? Event, CaptureError? Error) Parse(JsonElement evt, string field, DateTimeOffset now)
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
            WriteDistinctId(w, evt);
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
    /// (receive time, or receive time − offset) is kept; either gets the sanity bounds.
    /// </summary>
    private static PostHogEvent WithEventTime(PostHogEvent parsed, JsonElement evt, string? batchSentAt, DateTimeOffset now)
    {
        var fromClient = evt.TryGetProperty("timestamp"u8, out var ts) && ts.ValueKind != JsonValueKind.Null;
        var at = fromClient
            ? EventTime.FromClient(parsed.Timestamp, IgnoresSentAt(parsed.Properties) ? null : SentAt(evt, batchSentAt), now)
            : EventTime.Bound(parsed.Timestamp, now);
        return at == parsed.Timestamp ? parsed : parsed with { Timestamp = at };
    }

    /// <summary>The event's own sent_at if valid, else the request's; an invalid one is ignored, as PostHog does.</summary>
    private static DateTimeOffset? SentAt(JsonElement evt, string? batchSentAt)
    {
        if (evt.TryGetProperty("sent_at"u8, out var own) && own.ValueKind == JsonValueKind.String
            && TimestampParser.TryParse(own.GetString(), out var sent))
        {
            return sent;
        }
        return batchSentAt is not null && TimestampParser.TryParse(batchSentAt, out sent) ? sent : null;
    }

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

    private static void WriteDistinctId(Utf8JsonWriter w, JsonElement evt)
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
                w.WriteString("distinct_id", Cut(id.GetString()!));
                break;
            case JsonValueKind.Number:
                w.WriteString("distinct_id", Cut(id.GetRawText()));
                break;
            default:
                w.WritePropertyName("distinct_id");
                id.WriteTo(w);
                break;
        }
    }

    private static string Cut(string id)
    {
        if (id.Length <= CaptureLimits.MaxDistinctIdLength)
        {
            return id;
        }
        var cut = id[..CaptureLimits.MaxDistinctIdLength];
        // Never leave half a surrogate pair: it would not be valid UTF-8 in storage.
        return char.IsHighSurrogate(cut[^1]) ? cut[..^1] : cut;
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
        var at = evt.TryGetProperty("offset"u8, out var offset) && offset.TryGetInt64(out var ms) && ms is >= 0 and < 31_536_000_000
            ? now.AddMilliseconds(-ms)
            : now;
        w.WriteString("timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }

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
