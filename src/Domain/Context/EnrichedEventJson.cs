using System.Text.Json;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Context;

/// <summary>One entry of <c>recent_events</c> (SPEC §7). Absent optional values are written as null so every entry has the same shape.</summary>
internal static class EnrichedEventJson
{
    public static void Write(Utf8JsonWriter w, EnrichedEvent e)
    {
        w.WriteStartObject();
        w.WriteString("enriched_event_id", e.EnrichedEventId);
        w.WriteString("raw_event_id", e.RawEventId);
        w.WriteString("session_id", e.SessionId);
        w.WriteString("semantic_label", e.SemanticLabel);
        w.WriteString("event_type", e.EventType);
        w.WriteString("action_type", e.ActionType);
        JsonTime.Write(w, "timestamp", e.Timestamp);
        JsonTime.Write(w, "original_timestamp", e.OriginalTimestamp);
        w.WriteString("page_path", e.PagePath);
        w.WriteString("page_title", e.PageTitle);
        w.WriteString("element_type", e.ElementType);
        w.WriteString("element_text", e.ElementText);
        w.WriteNumber("sequence_number", e.SequenceNumber);
        w.WritePropertyName("context");
        // Built as a JSON object at enrichment (EventContext guarantees it), so it is copied, not re-parsed.
        w.WriteRawValue(e.Context.Utf8Json.Span, skipInputValidation: true);
        w.WriteEndObject();
    }
}
