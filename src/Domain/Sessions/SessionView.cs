using System.Text.Json;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Sessions;

/// <summary>The JSON of <c>GET /session/{id}</c>: the session row and its latest events, oldest first.</summary>
public static class SessionView
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Converters = { new UtcTimeJsonConverter() } };

    /// <returns>null for a session storage and the user grain never reported.</returns>
    public static byte[]? Render(SessionRecord? row, List<EnrichedEvent> events, int limit)
    {
        if (row is null)
        {
            return null;
        }
        var shown = events.Count <= limit ? events : events.GetRange(events.Count - limit, limit);
        var body = new
        {
            session = new
            {
                row.SessionId,
                row.UserId,
                row.StartedAt,
                row.LastActivityAt,
                row.EndedAt,
                DurationSeconds = (row.LastActivityAt - row.StartedAt).TotalSeconds,
                row.EventCount,
                row.PageViewsCount,
                row.ClicksCount,
                row.FirstPage,
                row.LastPage,
                SessionSummary = row.Summary,
                row.IsActive,
                Patterns = JsonDocument.Parse(row.PatternsJson).RootElement,
            },
            events = shown.Select(e => new
            {
                e.EnrichedEventId,
                e.RawEventId,
                e.SemanticLabel,
                e.EventType,
                e.ActionType,
                e.Timestamp,
                e.OriginalTimestamp,
                e.PagePath,
                e.PageTitle,
                e.ElementType,
                e.ElementText,
                e.SequenceNumber,
                e.Context,
            }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, Json);
    }
}
