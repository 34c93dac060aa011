namespace SessionInsights.Domain.Events;

/// <summary>
/// An event that is durably in the <c>raw_event</c> audit log. <see cref="Seq"/> is the log's
/// monotonically assigned position; grains use it as their replay watermark. <see cref="Attempts"/>
/// counts the times applying it failed already (0 for a fresh event; see docs/ingestion.md "Events that fail").
/// </summary>
public sealed record StoredEvent(long Seq, PostHogEvent Event, int Attempts = 0)
{
    /// <summary>
    /// The event's enriched row when one is stored already (committed since the last snapshot, the raw
    /// event still PENDING until a snapshot covers it): replay follows its numbering. Null otherwise.
    /// </summary>
    public CommittedRow? Committed { get; init; }
}

/// <summary>What a stored enriched row says about where its event went: its session (null: none) and number in it.</summary>
public readonly record struct CommittedRow(string? SessionId, int SequenceNumber);
