namespace SessionInsights.Domain.Live;

/// <summary>
/// One item of a user's live stream as it goes out: its SSE id, its SSE event type and its JSON data.
/// Ids: an event's raw-log sequence number (<c>1234</c>), a pattern it fired <c>1234:code</c>, a later
/// confirmation <c>c:…</c>; see docs/stream.md.
/// </summary>
public sealed record StreamItem(string Id, string Type, string Data)
{
    public const string Event = "event";
    public const string Pattern = "pattern";
    public const string PatternConfirmed = "pattern_confirmed";
}
