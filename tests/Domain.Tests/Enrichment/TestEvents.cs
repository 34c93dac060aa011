using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Enrichment;

/// <summary>Builds PostHog events and enriches them with the default options.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset At = new(2025, 12, 8, 21, 48, 8, 975, TimeSpan.Zero);

    public static PostHogEvent Make(string name, string propertiesJson = "{}", string? chain = null, Guid? uuid = null)
    {
        using var doc = JsonDocument.Parse(propertiesJson);
        return new PostHogEvent(uuid ?? Guid.NewGuid(), name, "user-1", At, doc.RootElement.Clone(), chain);
    }

    public static EnrichedEvent Enrich(string name, string propertiesJson = "{}", string? chain = null, EnrichmentOptions? options = null) =>
        new EventEnricher(options ?? EnrichmentOptions.Default).Enrich(Make(name, propertiesJson, chain), "session-1");

    public static string Label(string name, string propertiesJson = "{}", string? chain = null, EnrichmentOptions? options = null) =>
        Enrich(name, propertiesJson, chain, options).SemanticLabel;

    public static JsonElement ContextOf(EnrichedEvent e) => e.Context.ToJsonElement();
}
