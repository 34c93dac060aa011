using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;

namespace SessionInsights.Domain;

/// <summary>Everything that configures the domain, with SPEC defaults.</summary>
public sealed record InsightsOptions
{
    public EnrichmentOptions Enrichment { get; init; } = EnrichmentOptions.Default;
    public PatternRuleSet Rules { get; init; } = PatternRuleSet.Default;
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How many recent events a user keeps in memory; larger context reads go to storage (merged with
    /// what is not yet committed, so the answer is the same). 20 = the default recent_events_limit:
    /// 100 made these retained events most of a user's memory and of the garbage collector's work
    /// (docs/benchmarks.md).
    /// </summary>
    public int RecentEventsCapacity { get; init; } = 20;

    public static InsightsOptions Default { get; } = new();
}
