using System.Text.Json;
using SessionInsights.Grains.Abstractions.Messages;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Grains.Actors;

/// <summary>The JSON of <c>GET /session/{id}</c>: the session row and its latest events, oldest first.</summary>
internal static class SessionView
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static SessionReply Render(SessionRecord? row, List<EnrichedEvent> events, int limit)
    {
        if (row is null)
        {
            return new SessionReply(false, []);
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
                e.PagePath,
                e.PageTitle,
                e.ElementType,
                e.ElementText,
                e.SequenceNumber,
                e.Context,
            }),
        };
        return new SessionReply(true, JsonSerializer.SerializeToUtf8Bytes(body, Json));
    }
}
