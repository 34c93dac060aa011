using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Events;

/// <summary>Validates and parses one PostHog event object (SPEC §1).</summary>
public static class PostHogEventParser
{
    /// <summary>
    /// Parses a bare event object. On failure returns false with the offending field (JSON path such
    /// as <c>event</c>, <c>timestamp</c>, <c>properties</c>) and a sentence saying what is wrong.
    /// When <c>uuid</c> is absent a new one is assigned.
    /// </summary>
    /// <remarks>
    /// Fields are checked in SPEC order and the first problem is reported, so a client fixing its
    /// payload sees one clear error at a time. The returned <see cref="PostHogEvent.Properties"/> is
    /// a clone and outlives the source document.
    /// </remarks>
    public static bool TryParse(JsonElement json, out PostHogEvent? evt, out EventValidationError? error)
    {
        try
        {
            return TryParseText(json, out evt, out error);
        }
        catch (InvalidOperationException) when (BrokenText.Find(json) is { } field)
        {
            // Only the fields read here (event, distinct_id, $session_id, elements_chain) can throw;
            // broken text elsewhere in properties is stored as sent (docs/ingestion.md "Validation").
            evt = null;
            error = new EventValidationError(field, BrokenText.Problem);
            return false;
        }
    }

    private static bool TryParseText(JsonElement json, out PostHogEvent? evt, out EventValidationError? error)
    {
        evt = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = new EventValidationError(EventValidationError.RootField, "must be a JSON object");
            return false;
        }

        if (!TryReadEvent(json, out var name, out error)
            || !TryReadDistinctId(json, out var distinctId, out error)
            || !TryReadTimestamp(json, out var timestamp, out error)
            || !TryReadProperties(json, out var properties, out error)
            || !TryReadElementsChain(json, out var elementsChain, out error)
            || !TryReadUuid(json, out var uuid, out error))
        {
            return false;
        }

        evt = new PostHogEvent(uuid, name, distinctId, timestamp, properties.Clone(), elementsChain);
        return true;
    }

    private static bool TryReadEvent(JsonElement json, out string name, out EventValidationError? error)
    {
        name = "";
        if (!TryGetPresent(json, "event"u8, out var value))
        {
            error = new("event", EventValidationError.IsRequired);
            return false;
        }
        if (value.ValueKind != JsonValueKind.String || IsBlank(value))
        {
            error = new("event", EventValidationError.MustBeNonEmptyString);
            return false;
        }
        name = KnownEventNames.Intern(value);
        error = null;
        return true;
    }

    private static bool TryReadDistinctId(JsonElement json, out string distinctId, out EventValidationError? error)
    {
        distinctId = "";
        if (!TryGetPresent(json, "distinct_id"u8, out var value))
        {
            error = new("distinct_id", EventValidationError.IsRequired);
            return false;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String when !IsBlank(value):
                distinctId = value.GetString()!;
                break;
            // Some SDKs and backends send numeric user ids; their JSON text is the natural string form.
            case JsonValueKind.Number:
                distinctId = value.GetRawText();
                break;
            default:
                error = new("distinct_id", "must be a non-empty string or a number");
                return false;
        }
        error = null;
        return true;
    }

    private static bool TryReadTimestamp(JsonElement json, out DateTimeOffset timestamp, out EventValidationError? error)
    {
        timestamp = default;
        if (!TryGetPresent(json, "timestamp"u8, out var value))
        {
            error = new("timestamp", EventValidationError.IsRequired);
            return false;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            error = new("timestamp", "must be a string holding an ISO-8601 timestamp");
            return false;
        }
        if (!TimestampParser.TryParse(JsonUtf8.StringValue(value), out timestamp))
        {
            error = new("timestamp", "is not an ISO-8601 timestamp (expected e.g. 2025-12-08T21:48:08.975Z or 2025-12-08 21:48:08.975)");
            return false;
        }
        // Microseconds are what PostgreSQL keeps: cutting the 7th digit here makes an event read
        // back from storage identical to the one applied live.
        timestamp = new DateTimeOffset(timestamp.UtcTicks - timestamp.UtcTicks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
        error = null;
        return true;
    }

    private static readonly JsonElement EmptyProperties = JsonDocument.Parse("{}").RootElement.Clone();

    private static bool TryReadProperties(JsonElement json, out JsonElement properties, out EventValidationError? error)
    {
        // Absent or null is an event without properties, as PostHog's capture takes it (docs/ingestion.md
        // "Validation"): the same answer on /ingest as on the capture endpoints.
        if (!TryGetPresent(json, "properties"u8, out properties))
        {
            properties = EmptyProperties;
            error = null;
            return true;
        }
        if (properties.ValueKind != JsonValueKind.Object)
        {
            error = new("properties", "must be a JSON object");
            return false;
        }
        error = null;
        return true;
    }

    private static bool TryReadElementsChain(JsonElement json, out string? chain, out EventValidationError? error)
    {
        chain = null;
        error = null;
        if (!TryGetPresent(json, "elements_chain"u8, out var value))
        {
            return true;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            error = new("elements_chain", "must be a string or null");
            return false;
        }
        // PostHog sends "" for events without elements; null keeps "no chain" to one representation.
        chain = value.ValueEquals(""u8) ? null : value.GetString();
        return true;
    }

    private static bool TryReadUuid(JsonElement json, out Guid uuid, out EventValidationError? error)
    {
        error = null;
        if (!TryGetPresent(json, "uuid"u8, out var value))
        {
            uuid = Guid.CreateVersion7();
            return true;
        }
        uuid = default;
        if (value.ValueKind != JsonValueKind.String || !Guid.TryParse(JsonUtf8.StringValue(value), out uuid))
        {
            error = new("uuid", "must be a GUID string such as 0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3b");
            return false;
        }
        // The uuid is the idempotency key: an all-zero one from a buggy client would merge unrelated events.
        if (uuid == Guid.Empty)
        {
            error = new("uuid", "must not be the all-zero GUID");
            return false;
        }
        return true;
    }

    /// <summary>Absent and JSON null are the same thing for every field of an event.</summary>
    private static bool TryGetPresent(JsonElement json, ReadOnlySpan<byte> name, out JsonElement value) =>
        json.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static bool IsBlank(JsonElement stringElement)
    {
        foreach (var b in JsonUtf8.StringValue(stringElement))
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }
        return true;
    }
}
