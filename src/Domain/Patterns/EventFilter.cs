using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Patterns;

/// <summary>
/// Conditions on one enriched event (SPEC §6, plus the fact-keyed fields of docs/patterns-and-sessions.md);
/// every field that is set must hold. A value record so that rules sharing a filter share its evaluation.
/// </summary>
public sealed record EventFilter
{
    /// <summary>The PostHog event name is one of these (ordinal: event names are identifiers).</summary>
    public EventNameList? EventName { get; init; }

    /// <summary>Exact event_type, compared ignoring case.</summary>
    public string? EventType { get; init; }

    /// <summary>Exact action_type, compared ignoring case.</summary>
    public string? ActionType { get; init; }

    /// <summary>page_path starts with this (ordinal: URL paths are case-sensitive).</summary>
    public string? PagePathPrefix { get; init; }

    /// <summary>page_path equals this (ordinal).</summary>
    public string? PagePathEquals { get; init; }

    /// <summary>Case-insensitive substring of the semantic label (kept for the seeds' rules; matches inside words).</summary>
    public string? SemanticContains { get; init; }

    /// <summary>Case-insensitive word or phrase of the semantic label, at word boundaries on both sides.</summary>
    public string? SemanticWords { get; init; }

    /// <summary>A top-level property of the event's stored context has this value.</summary>
    public PropertyCondition? Property { get; init; }

    public bool Matches(EnrichedEvent e) =>
        MatchesStructure(e)
        && (SemanticContains is null || e.SemanticLabel.Contains(SemanticContains, StringComparison.OrdinalIgnoreCase))
        && (SemanticWords is null || LabelWords.Contains(e.SemanticLabel, SemanticWords))
        && MatchesProperty(e);

    /// <summary>Every condition except the label tests (shared through the label cache) and the property (parses JSON).</summary>
    internal bool MatchesStructure(EnrichedEvent e) =>
        (EventName is null || EventName.Contains(e.EventName))
        && (EventType is null || string.Equals(e.EventType, EventType, StringComparison.OrdinalIgnoreCase))
        && (ActionType is null || string.Equals(e.ActionType, ActionType, StringComparison.OrdinalIgnoreCase))
        && (PagePathPrefix is null || e.PagePath.StartsWith(PagePathPrefix, StringComparison.Ordinal))
        && (PagePathEquals is null || string.Equals(e.PagePath, PagePathEquals, StringComparison.Ordinal));

    internal bool MatchesProperty(EnrichedEvent e) => Property is null || Property.Holds(e.Context);
}
