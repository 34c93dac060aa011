using System.Text.Json;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// The shape of <c>GET /session/context/{user_id}</c> for the OpenAPI document. The grain renders the
/// JSON itself; this type only describes it.
/// </summary>
public sealed record UserContextDocument(
    DateTimeOffset GeneratedAt,
    string UserId,
    IReadOnlyList<RecentEventDocument> RecentEvents,
    string? LastSessionSummary,
    IReadOnlyList<PreviousSessionDocument> PreviousSessions,
    IReadOnlyList<PatternDocument> Patterns);

/// <summary>
/// A session before the latest one (newest first, <c>previous_sessions=0–10</c>, default 3): ended_at is
/// null while it is still open; duration from its first to its last event; patterns as its row keeps them, without evidence.
/// </summary>
public sealed record PreviousSessionDocument(
    string SessionId,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    double DurationSeconds,
    int PageViewsCount,
    int EventCount,
    string FirstPage,
    string LastPage,
    string Summary,
    IReadOnlyList<PatternDocument> Patterns);

public sealed record RecentEventDocument(
    Guid EnrichedEventId,
    Guid RawEventId,
    string? SessionId,
    string SemanticLabel,
    string EventType,
    string ActionType,
    DateTimeOffset Timestamp,
    string PagePath,
    string PageTitle,
    string? ElementType,
    string? ElementText,
    int SequenceNumber,
    JsonElement Context);

/// <summary>Status: <c>pending</c> while a negative time window may still cancel the pattern, else <c>confirmed</c>.</summary>
public sealed record PatternDocument(string Code, string Description, string Severity, string Status);
