using System.Text.Json;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Context;

/// <summary>
/// The context's <c>previous_sessions</c>: each session's times, counts, pages, summary and patterns
/// (code, description, severity, status; no evidence, which only the latest session keeps in memory).
/// Written from <see cref="SessionRecord"/>s, so a session reads the same from memory and from storage.
/// </summary>
internal static class PreviousSessionJson
{
    public static void WriteArray(Utf8JsonWriter w, IReadOnlyList<SessionRecord> sessions, bool confirmedOnly)
    {
        w.WriteStartArray();
        foreach (var s in sessions)
        {
            Write(w, s, confirmedOnly);
        }
        w.WriteEndArray();
    }

    private static void Write(Utf8JsonWriter w, SessionRecord s, bool confirmedOnly)
    {
        w.WriteStartObject();
        w.WriteString("session_id", s.SessionId);
        JsonTime.Write(w, "started_at", s.StartedAt);
        JsonTime.Write(w, "ended_at", s.EndedAt);
        w.WriteNumber("duration_seconds", (s.LastActivityAt - s.StartedAt).TotalSeconds);
        w.WriteNumber("page_views_count", s.PageViewsCount);
        w.WriteNumber("event_count", s.EventCount);
        w.WriteString("first_page", s.FirstPage);
        w.WriteString("last_page", s.LastPage);
        w.WriteString("summary", s.Summary);
        w.WriteStartArray("patterns");
        WritePatterns(w, s.PatternsJson, confirmedOnly);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// The row's patterns in one field order whatever the source (PostgreSQL's jsonb reorders keys);
    /// what is not an object with a code is left out rather than failing the whole context.
    /// </summary>
    private static void WritePatterns(Utf8JsonWriter w, string patternsJson, bool confirmedOnly)
    {
        if (string.IsNullOrWhiteSpace(patternsJson))
        {
            return;
        }
        using var doc = JsonDocument.Parse(patternsJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var p in doc.RootElement.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.Object || Str(p, "code") is not { } code)
            {
                continue;
            }
            var status = Str(p, "status");
            if (confirmedOnly && status == PatternJson.Pending)
            {
                continue;
            }
            w.WriteStartObject();
            w.WriteString("code", code);
            w.WriteString("description", Str(p, "description"));
            w.WriteString("severity", Str(p, "severity"));
            w.WriteString("status", status);
            w.WriteEndObject();
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
