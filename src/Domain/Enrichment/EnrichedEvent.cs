namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// One PostHog event turned into a readable fact (SPEC §4). <see cref="SequenceNumber"/> is 0 until
/// the session the event joins assigns it.
/// </summary>
public sealed record EnrichedEvent
{
    public required Guid EnrichedEventId { get; init; }
    public required Guid RawEventId { get; init; }
    public required string UserId { get; init; }
    public string? SessionId { get; init; }
    public required string EventName { get; init; }
    public required string EventType { get; init; }
    public required string ActionType { get; init; }
    public required string SemanticLabel { get; init; }
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The client's own timestamp when the gateway used another time (docs/ingestion.md "What is stored"); else null.</summary>
    public DateTimeOffset? OriginalTimestamp { get; init; }
    public required string PagePath { get; init; }
    public required string PageTitle { get; init; }
    public string? ElementType { get; init; }
    public string? ElementText { get; init; }
    public int SequenceNumber { get; init; }
    public required EventContext Context { get; init; }
}
