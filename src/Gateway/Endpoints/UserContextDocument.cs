using System.ComponentModel;
using System.Text.Json;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// The shape of <c>GET /session/context/{user_id}</c> for the OpenAPI document. The grain renders the
/// JSON itself (Domain/Context/ContextRenderer); this type only describes it, and the conformance test
/// (tests/Integration.Tests/Api/OpenApiConformanceTests) fails when the two differ.
/// </summary>
public sealed record UserContextDocument(
    [property: Description("The server's time of the answer (RFC 3339 UTC), so a reader can say \"4 minutes ago\" without a clock of its own.")] DateTimeOffset GeneratedAt,
    [property: Description("The PostHog distinct_id asked for.")] string UserId,
    [property: Description("The user's latest events, oldest first (recent_events_limit, default 20, at most 500).")] IReadOnlyList<RecentEventDocument> RecentEvents,
    [property: Description("A one-line summary of the user's latest session; null for an unknown user.")] string? LastSessionSummary,
    [property: Description("The user's latest session's aggregates; null for an unknown user.")] LastSessionDocument? LastSession,
    [property: Description("The sessions before the latest, newest first (previous_sessions=0–10, default 3).")] IReadOnlyList<PreviousSessionDocument> PreviousSessions,
    [property: Description("Behaviour patterns detected in the latest session, most severe first.")] IReadOnlyList<PatternDocument> Patterns);

/// <summary>
/// A session before the latest one (newest first, <c>previous_sessions=0–10</c>, default 3): ended_at is
/// null while it is still open; duration from its first to its last event; patterns as its row keeps them, without evidence.
/// </summary>
public sealed record PreviousSessionDocument(
    string SessionId,
    DateTimeOffset StartedAt,
    [property: Description("When the session closed; null while it is still open.")] DateTimeOffset? EndedAt,
    [property: Description("From its first to its last event.")] double DurationSeconds,
    int PageViewsCount,
    int EventCount,
    string FirstPage,
    string LastPage,
    [property: Description("A one-line summary of that session.")] string Summary,
    [property: Description("Patterns that fired in that session, as its row keeps them (no evidence).")] IReadOnlyList<SessionPatternDocument> Patterns);

/// <summary>One enriched event: what a language model reads.</summary>
public sealed record RecentEventDocument(
    [property: Description("Id of the enriched event (stable: derived from the raw event).")] Guid EnrichedEventId,
    [property: Description("The PostHog event's uuid.")] Guid RawEventId,
    [property: Description("PostHog $session_id, or the one the gateway assigned.")] string? SessionId,
    [property: Description("The event as a readable fact, e.g. \"Clicked 'Upgrade to Pro' button\".")] string SemanticLabel,
    [property: Description("pageview, click, rage_click, navigation, custom, …")] string EventType,
    [property: Description("view, click, rage_click, leave, submit, custom, …")] string ActionType,
    [property: Description("When it happened (RFC 3339 UTC, at most microseconds).")] DateTimeOffset Timestamp,
    [property: Description("The client's own time when the server corrected it (clock skew, out of bounds); else null.")] DateTimeOffset? OriginalTimestamp,
    [property: Description("The page's path.")] string PagePath,
    [property: Description("A readable name of the page, e.g. \"pricing page\".")] string PageTitle,
    [property: Description("button, link, input, … for clicks; null otherwise.")] string? ElementType,
    [property: Description("The clicked element's text; null otherwise.")] string? ElementText,
    [property: Description("Position of the event in its session, from 1.")] int SequenceNumber,
    [property: Description("Extra facts of the event (element hierarchy, PostHog event name, custom properties).")] JsonElement Context);

/// <summary>The latest session's aggregates, as the context carries them.</summary>
public sealed record LastSessionDocument(
    string SessionId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    [property: Description("When the session closed (idle timeout); null while it is active.")] DateTimeOffset? EndedAt,
    double DurationSeconds,
    int EventCount,
    int PageViewsCount,
    int ClicksCount,
    int RageClicksCount,
    int CustomEventsCount,
    string? FirstPage,
    string? LastPage,
    bool IsActive);

/// <summary>Status: <c>pending</c> while a negative time window may still cancel the pattern, else <c>confirmed</c>.</summary>
public sealed record PatternDocument(
    [property: Description("The rule's code, e.g. checkout_abandonment.")] string Code,
    [property: Description("What the pattern means, for a reader.")] string Description,
    [property: Description("HIGH, MEDIUM or LOW (always capitals, everywhere).")] string Severity,
    [property: Description("pending (a negative window may still cancel it) or confirmed.")] string Status,
    [property: Description("The events that matched (a max_tokens budget may empty event_ids).")] PatternEvidenceDocument Evidence);

public sealed record PatternEvidenceDocument(
    [property: Description("How many events matched the rule's filter.")] int Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    [property: Description("enriched_event_id of the matching events kept as evidence.")] IReadOnlyList<Guid> EventIds);
