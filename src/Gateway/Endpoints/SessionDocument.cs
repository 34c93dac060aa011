using System.ComponentModel;
using System.Text.Json;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// The shape of <c>GET /session/{session_id}</c> for the OpenAPI document; the session grain renders the
/// JSON (Domain/Sessions/SessionView), this type only describes it.
/// </summary>
public sealed record SessionDocument(
    [property: Description("The server's time of the answer (RFC 3339 UTC).")] DateTimeOffset GeneratedAt,
    SessionAggregateDocument Session,
    [property: Description("The session's latest events, oldest first (events_limit, default 50, at most 200).")] IReadOnlyList<SessionEventDocument> Events);

public sealed record SessionAggregateDocument(
    string SessionId,
    string UserId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    [property: Description("When the session closed (idle timeout); null while it is active.")] DateTimeOffset? EndedAt,
    double DurationSeconds,
    int EventCount,
    int PageViewsCount,
    int ClicksCount,
    string? FirstPage,
    string? LastPage,
    string? SessionSummary,
    bool IsActive,
    [property: Description("Patterns detected in this session, as in the context.")] IReadOnlyList<SessionPatternDocument> Patterns);

/// <summary>An event of <c>GET /session/{id}</c>: the context's event without the (known) session id.</summary>
public sealed record SessionEventDocument(
    Guid EnrichedEventId,
    Guid RawEventId,
    string SemanticLabel,
    string EventType,
    string ActionType,
    DateTimeOffset Timestamp,
    DateTimeOffset? OriginalTimestamp,
    string PagePath,
    string PageTitle,
    string? ElementType,
    string? ElementText,
    int SequenceNumber,
    JsonElement Context);

/// <summary>A pattern as the session row keeps it: the context's pattern without its evidence.</summary>
public sealed record SessionPatternDocument(string Code, string Description, string Severity, string Status);
