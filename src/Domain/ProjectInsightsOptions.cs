namespace SessionInsights.Domain;

/// <summary>
/// The domain options each project's users are processed with: the same everywhere except the
/// pattern rules, which a project may have its own of (<c>Insights:ProjectRulesFiles:{project}</c>).
/// </summary>
public sealed class ProjectInsightsOptions(InsightsOptions defaults, IReadOnlyDictionary<long, InsightsOptions> byProject)
{
    /// <summary>Every project without rules of its own.</summary>
    public InsightsOptions Default { get; } = defaults;

    public InsightsOptions For(long projectId) => byProject.TryGetValue(projectId, out var own) ? own : Default;
}
