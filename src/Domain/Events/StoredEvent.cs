namespace SessionInsights.Domain.Events;

/// <summary>
/// An event that is durably in the <c>raw_event</c> audit log. <see cref="Seq"/> is the log's
/// monotonically assigned position; grains use it as their replay watermark. <see cref="Attempts"/>
/// counts the times applying it failed already (0 for a fresh event; see docs/ingestion.md "Events that fail").
/// </summary>
public sealed record StoredEvent(long Seq, PostHogEvent Event, int Attempts = 0);
