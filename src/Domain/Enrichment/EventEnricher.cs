using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Enrichment;

/// <summary>Turns a PostHog event into an <see cref="EnrichedEvent"/> (SPEC §2–§4).</summary>
/// <remarks>Thread-safe: all per-event state lives on the stack or in per-thread buffers.</remarks>
public sealed class EventEnricher(EnrichmentOptions options)
{
    private readonly SemanticLabeler _labeler = new(options);

    public EnrichmentOptions Options { get; } = options;

    /// <summary>
    /// Enriches <paramref name="e"/> as a member of <paramref name="sessionId"/> (null: no session).
    /// The result's sequence number is 0; its id is derived from the raw uuid, so a replay gives the same id.
    /// </summary>
    public EnrichedEvent Enrich(PostHogEvent e, string? sessionId)
    {
        var classification = EventClassifier.Classify(e.Event, e.Properties);
        var page = PageInfo.From(e.Properties);
        var chain = ElementsChainParser.Parse(e.ElementsChain);

        return new EnrichedEvent
        {
            EnrichedEventId = EnrichedEventIds.FromRawEventId(e.Uuid),
            RawEventId = e.Uuid,
            UserId = e.DistinctId,
            SessionId = sessionId,
            EventName = e.Event,
            EventType = classification.EventType,
            ActionType = classification.ActionType,
            SemanticLabel = _labeler.Label(e, classification, page, chain),
            Timestamp = e.Timestamp,
            OriginalTimestamp = ClientTime.Timestamp(e.ClientTime) is { } sent && sent != e.Timestamp ? sent : null,
            PagePath = page.Path,
            PageTitle = page.Title,
            ElementType = chain.ElementType,
            ElementText = chain.ElementText,
            SequenceNumber = 0,
            Context = EventContextWriter.Write(e, chain),
        };
    }
}
