using SessionInsights.Domain;
using SessionInsights.Domain.Patterns;

namespace SessionInsights.Grains.Options;

/// <summary>
/// The domain's configuration (section <c>Insights</c>) as bound from configuration; anything unset
/// keeps the SPEC default held by <see cref="InsightsOptions"/>.
/// </summary>
public sealed class InsightsSettings
{
    public const string Section = "Insights";

    public int? SemanticLabelMaxLength { get; set; }

    /// <summary>Replaces the default templates when set (event name → label template).</summary>
    public Dictionary<string, string>? CustomEventTemplates { get; set; }

    /// <summary>Replaces the default enrichment rules when set (capture attribute → element wording).</summary>
    public Dictionary<string, string>? EnrichmentRules { get; set; }

    /// <summary>A shipped rule pack (<see cref="RulePacks.Names"/>); unset: <c>shop</c>. <see cref="RulesFile"/> overrides it.</summary>
    public string? RulePack { get; set; }

    /// <summary>A pattern rules JSON file; unset: the rule pack.</summary>
    public string? RulesFile { get; set; }

    /// <summary>Per project id: a pattern rules JSON file that replaces, for that project's users, the rules above.</summary>
    public Dictionary<string, string>? ProjectRulesFiles { get; set; }

    public TimeSpan? SessionIdleTimeout { get; set; }

    public int? RecentEventsCapacity { get; set; }

    public InsightsOptions ToOptions()
    {
        var d = InsightsOptions.Default;
        var enrichment = d.Enrichment;
        if (SemanticLabelMaxLength is { } max)
        {
            enrichment = enrichment with { SemanticLabelMaxLength = max };
        }
        if (CustomEventTemplates is { Count: > 0 } templates)
        {
            enrichment = enrichment with { CustomEventTemplates = templates };
        }
        if (EnrichmentRules is { Count: > 0 } rules)
        {
            enrichment = enrichment with { EnrichmentRules = rules };
        }
        return d with
        {
            Enrichment = enrichment,
            Rules = RulesFile is { Length: > 0 } path ? LoadRules(path, "Insights:RulesFile") : LoadPack(),
            SessionIdleTimeout = SessionIdleTimeout ?? d.SessionIdleTimeout,
            RecentEventsCapacity = RecentEventsCapacity ?? d.RecentEventsCapacity,
        };
    }

    /// <summary>The options per project: <see cref="ToOptions"/>, with a project's own rules where it has them.</summary>
    public ProjectInsightsOptions ToProjectOptions()
    {
        var defaults = ToOptions();
        var byProject = new Dictionary<long, InsightsOptions>();
        foreach (var (key, path) in ProjectRulesFiles ?? [])
        {
            var setting = $"Insights:ProjectRulesFiles:{key}";
            if (!long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var projectId) || projectId < 1)
            {
                throw new InvalidOperationException($"{setting}: the key must be a project id (a whole number from 1)");
            }
            try
            {
                byProject[projectId] = defaults with { Rules = LoadRules(path, setting) };
            }
            catch (PatternRuleException ex)
            {
                throw new InvalidOperationException($"{setting} '{path}': {ex.Message}", ex);
            }
        }
        return new ProjectInsightsOptions(defaults, byProject);
    }

    internal IEnumerable<string> Validate()
    {
        if (SemanticLabelMaxLength is < 10)
        {
            yield return "Insights:SemanticLabelMaxLength must be at least 10";
        }
        if (SessionIdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            yield return "Insights:SessionIdleTimeout must be positive";
        }
        if (RecentEventsCapacity is < 1)
        {
            yield return "Insights:RecentEventsCapacity must be at least 1";
        }
        if (!string.IsNullOrEmpty(RulePack) && !RulePacks.Exists(RulePack) && RulesFile is { Length: > 0 })
        {
            // Overridden by the file, but a typo is still a typo.
            yield return $"Insights:RulePack '{RulePack}' is not a rule pack (known: {string.Join(", ", RulePacks.Names)})";
        }
        string? rulesError = null;
        try
        {
            _ = ToProjectOptions();
        }
        catch (Exception ex) when (ex is InvalidOperationException or PatternRuleException)
        {
            rulesError = ex.Message;
        }
        if (rulesError is not null)
        {
            yield return rulesError;
        }
    }

    private PatternRuleSet LoadPack()
    {
        if (string.IsNullOrEmpty(RulePack))
        {
            return PatternRuleSet.Default;
        }
        if (!RulePacks.Exists(RulePack))
        {
            throw new InvalidOperationException($"Insights:RulePack '{RulePack}' is not a rule pack (known: {string.Join(", ", RulePacks.Names)})");
        }
        return RulePacks.Load(RulePack);
    }

    private static PatternRuleSet LoadRules(string path, string setting)
    {
        try
        {
            return PatternRuleSet.FromJson(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{setting} '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
