namespace SessionInsights.Domain.Patterns;

/// <summary>
/// One behaviour pattern (SPEC §6). Instances come validated from <see cref="PatternRuleSet.FromJson"/>,
/// so the engine can trust the combinations: a time window or negative filter always has a positive filter,
/// a negative window always has a negative filter.
/// </summary>
public sealed record PatternRule
{
    public required string Code { get; init; }
    public required string Description { get; init; }
    public required PatternSeverity Severity { get; init; }

    /// <summary>The positive filter; null for a rule that matches on <see cref="SessionFilter"/> alone.</summary>
    public EventFilter? Filter { get; init; }

    public int MinCount { get; init; } = 1;

    /// <summary>When set, <see cref="MinCount"/> positive events must fit in one window of this length.</summary>
    public TimeSpan? TimeWindow { get; init; }

    public EventFilter? NegativeFilter { get; init; }

    /// <summary>
    /// When set, only negative events in [last positive, last positive + window] break the rule;
    /// otherwise any negative event in the session does.
    /// </summary>
    public TimeSpan? NegativeTimeWindow { get; init; }

    public SessionFilter? SessionFilter { get; init; }
}
