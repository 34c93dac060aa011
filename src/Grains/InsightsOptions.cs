using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Patterns;

namespace SessionInsights.Grains;

/// <summary>Everything that configures the domain, with SPEC defaults.</summary>
public sealed record InsightsOptions
{
    public EnrichmentOptions Enrichment { get; init; } = EnrichmentOptions.Default;
    public PatternRuleSet Rules { get; init; } = PatternRuleSet.Default;
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How many recent events a user keeps in memory; larger context reads go to storage.</summary>
    public int RecentEventsCapacity { get; init; } = 100;

    public static InsightsOptions Default { get; } = new();
}
