using SessionInsights.Grains.Abstractions.Events;

namespace SessionInsights.Grains.Enrichment;

/// <summary>Turns a PostHog event into an <see cref="EnrichedEvent"/> (SPEC §2–§4).</summary>
public sealed class EventEnricher(EnrichmentOptions options)
{
    public EnrichmentOptions Options { get; } = options;

    /// <summary>
    /// Enriches <paramref name="e"/> as a member of <paramref name="sessionId"/> (null: no session).
    /// The result's sequence number is 0; its id is derived from the raw uuid, so a replay gives the same id.
    /// </summary>
    public EnrichedEvent Enrich(PostHogEvent e, string? sessionId) => throw new NotImplementedException();
}
