using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Sessions;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Context;

/// <summary>
/// The SPEC §7 chatbot context. Beyond the required fields it adds <c>last_session</c> (the latest
/// session's counts and times), <c>previous_sessions</c> (the ones before it, briefly) and pattern
/// evidence, which let a prompt say how much, how recently and whether it happened before.
/// </summary>
internal static class ContextRenderer
{
    /// <summary>
    /// Quotes and non-ASCII text stay as they are (<c>'Add to Cart'</c>, not <c>\u0027Add to Cart\u0027</c>):
    /// the JSON goes into prompts, not into HTML, and matches the enricher's context JSON.
    /// </summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="now">The read's time, to judge pending patterns; null: their status as last updated.</param>
    /// <param name="confirmedOnly">Leaves pending patterns out (<c>?patterns=confirmed</c>), the previous sessions' too.</param>
    /// <param name="previous">The sessions before the latest, newest first (<see cref="Users.SessionHistory"/>); null: none.</param>
    public static byte[] Render(
        string userId,
        IReadOnlyList<EnrichedEvent> recentOldestFirst,
        TrackedSession? latest,
        DateTimeOffset? now = null,
        bool confirmedOnly = false,
        IReadOnlyList<SessionRecord>? previous = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("user_id", userId);

            w.WriteStartArray("recent_events");
            for (var i = 0; i < recentOldestFirst.Count; i++)
            {
                EnrichedEventJson.Write(w, recentOldestFirst[i]);
            }
            w.WriteEndArray();

            w.WriteString("last_session_summary", latest?.Summary);

            if (latest is null)
            {
                w.WriteNull("last_session");
            }
            else
            {
                WriteSession(w, latest.Aggregate);
            }

            w.WritePropertyName("previous_sessions");
            PreviousSessionJson.WriteArray(w, previous ?? [], confirmedOnly);

            w.WritePropertyName("patterns");
            PatternJson.WriteArray(w, latest, now, confirmedOnly);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSession(Utf8JsonWriter w, SessionAggregate s)
    {
        w.WriteStartObject("last_session");
        w.WriteString("session_id", s.SessionId);
        JsonTime.Write(w, "started_at", s.StartedAt);
        JsonTime.Write(w, "last_activity_at", s.LastActivityAt);
        JsonTime.Write(w, "ended_at", s.EndedAt);
        w.WriteNumber("duration_seconds", s.Duration.TotalSeconds);
        w.WriteNumber("event_count", s.EventCount);
        w.WriteNumber("page_views_count", s.PageViewsCount);
        w.WriteNumber("clicks_count", s.ClicksCount);
        w.WriteNumber("rage_clicks_count", s.RageClicksCount);
        w.WriteNumber("custom_events_count", s.CustomEventsCount);
        w.WriteString("first_page", s.FirstPage);
        w.WriteString("last_page", s.LastPage);
        w.WriteBoolean("is_active", s.IsActive);
        w.WriteEndObject();
    }
}
