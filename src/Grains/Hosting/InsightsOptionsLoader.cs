using Microsoft.Extensions.Configuration;
using SessionInsights.Grains.Patterns;

namespace SessionInsights.Grains.Hosting;

/// <summary>Reads the domain configuration (section <c>Insights</c>); anything unset keeps SPEC defaults.</summary>
public static class InsightsOptionsLoader
{
    public static InsightsOptions FromConfiguration(IConfiguration config)
    {
        var s = config.GetSection("Insights");
        var d = InsightsOptions.Default;
        var enrichment = d.Enrichment;
        if (int.TryParse(s["SemanticLabelMaxLength"], out var max))
        {
            enrichment = enrichment with { SemanticLabelMaxLength = max };
        }
        if (Dictionary(s.GetSection("CustomEventTemplates")) is { } templates)
        {
            enrichment = enrichment with { CustomEventTemplates = templates };
        }
        if (Dictionary(s.GetSection("EnrichmentRules")) is { } rules)
        {
            enrichment = enrichment with { EnrichmentRules = rules };
        }
        return d with
        {
            Enrichment = enrichment,
            Rules = s["RulesFile"] is { Length: > 0 } path ? LoadRules(path) : d.Rules,
            SessionIdleTimeout = TimeSpan.TryParse(s["SessionIdleTimeout"], out var idle) ? idle : d.SessionIdleTimeout,
            RecentEventsCapacity = int.TryParse(s["RecentEventsCapacity"], out var cap) ? cap : d.RecentEventsCapacity,
        };
    }

    private static PatternRuleSet LoadRules(string path)
    {
        try
        {
            return PatternRuleSet.FromJson(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Insights:RulesFile '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static Dictionary<string, string>? Dictionary(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        return children.Count == 0 ? null : children.ToDictionary(c => c.Key, c => c.Value ?? "", StringComparer.Ordinal);
    }
}
