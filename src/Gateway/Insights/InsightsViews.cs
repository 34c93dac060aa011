using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Insights;

public sealed record PatternsView(DateTimeOffset Since, IReadOnlyList<PatternRuleView> Rules);

/// <summary>One configured rule: how often it newly matched a session since <see cref="PatternsView.Since"/>, and for whom.</summary>
public sealed record PatternRuleView(string Rule, string Description, string Severity, int Count, IReadOnlyList<string> Users, DateTimeOffset? LastAt);

public sealed record LogsView(IReadOnlyList<NodeLogLine> Lines);

public sealed record RetryResult(Guid Uuid, long ProjectId, string DistinctId, string Status);

public sealed record DeadLetterCount(long Count);
