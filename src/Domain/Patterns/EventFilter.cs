using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Patterns;

/// <summary>
/// Conditions on one enriched event (SPEC §6); every field that is set must hold. A value record so
/// that rules sharing a filter share its evaluation.
/// </summary>
public sealed record EventFilter
{
    /// <summary>Exact event_type, compared ignoring case.</summary>
    public string? EventType { get; init; }

    /// <summary>Exact action_type, compared ignoring case.</summary>
    public string? ActionType { get; init; }

    /// <summary>page_path starts with this (ordinal: URL paths are case-sensitive).</summary>
    public string? PagePathPrefix { get; init; }

    /// <summary>page_path equals this (ordinal).</summary>
    public string? PagePathEquals { get; init; }

    /// <summary>Case-insensitive substring of the semantic label.</summary>
    public string? SemanticContains { get; init; }

    public bool Matches(EnrichedEvent e) =>
        MatchesStructure(e)
        && (SemanticContains is null || e.SemanticLabel.Contains(SemanticContains, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every condition except the label substring, which is the expensive one.</summary>
    internal bool MatchesStructure(EnrichedEvent e) =>
        (EventType is null || string.Equals(e.EventType, EventType, StringComparison.OrdinalIgnoreCase))
        && (ActionType is null || string.Equals(e.ActionType, ActionType, StringComparison.OrdinalIgnoreCase))
        && (PagePathPrefix is null || e.PagePath.StartsWith(PagePathPrefix, StringComparison.Ordinal))
        && (PagePathEquals is null || string.Equals(e.PagePath, PagePathEquals, StringComparison.Ordinal));
}
